"""Query rewriting: pure functions, no store needed."""

from __future__ import annotations

from bot.retrieval import expand_query, spell_out


def test_shorthand_is_spelled_out_as_whole_words_only() -> None:
    assert (
        spell_out("4 yrs on a temp contract, am I perm?")
        == "4 years on a temporary contract, am I permanent?"
    )
    assert spell_out("Can HR take VR back?") == "Can HR take voluntary redundancy back?"
    assert spell_out("temperature, permission, years") == "temperature, permission, years"


def test_the_keyword_query_gets_the_knowledge_bases_words_as_well_as_the_members() -> None:
    expanded = expand_query("will I get my redundancy money if I was laid off")
    assert expanded.startswith("will I get my redundancy money") and "redundancy pay" in expanded


def test_spelled_out_shorthand_still_gets_the_knowledge_bases_words() -> None:
    assert "flexible working request" in expand_query("can I wfh 2 days a wk?")
    assert "maternity leave" in expand_query("how long is mat leave")
