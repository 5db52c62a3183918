"""Whatever a Teams activity carries (any text, mentions, button data, ids, with or without a tenant
or channel), parsing it never raises: it becomes a question, a button press, a rating or nothing.
Property-based (hypothesis)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from microsoft_agents.activity import Activity

from bot.teams.model import rating_from, said_from, strip_mentions

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=3),
    max_leaves=8,
)
ids = st.text(min_size=1, max_size=40)
people = st.fixed_dictionaries({"id": ids}, optional={"aadObjectId": st.none() | ids, "name": st.text()})
conversations = st.fixed_dictionaries(
    {"id": ids | ids.map(lambda root: f"19:general@thread.tacv2;messageid={root}")},
    optional={"tenantId": st.none() | ids, "conversationType": st.sampled_from(["personal", "channel"])},
)
values = st.none() | json_values | st.fixed_dictionaries(
    {"action": st.text(max_size=20)}, optional={"reference": json_values, "answer_id": json_values}
) | st.fixed_dictionaries(
    {"actionName": st.sampled_from(["feedback", "other"])},
    optional={"actionValue": st.dictionaries(st.sampled_from(["reaction", "feedback"]), json_values)},
)
activities = st.fixed_dictionaries(
    {
        "type": st.sampled_from(["message", "invoke"]),
        "from": people,
        "recipient": people,
        "conversation": conversations,
        "serviceUrl": st.just("https://smba.trafficmanager.net/uk/"),
        "channelId": st.just("msteams"),
    },
    optional={
        "id": ids,
        "text": st.none() | st.text() | st.text().map(lambda t: f"<at>rightsbot</at> {t}"),
        "value": values,
        "replyToId": ids,
        "channelData": st.dictionaries(st.sampled_from(["tenant", "channel", "team"]), json_values, max_size=3),
    },
)


@given(activities)
def test_any_message_activity_parses_to_something_said_or_to_nothing(activity: dict[str, Any]) -> None:
    said = said_from(Activity.model_validate(activity))
    if said is not None:
        assert said.text or said.action
        assert "<at>" not in said.text
        assert said.address.platform == "teams"


@pytest.mark.parametrize("channel_data", [{"channel": True}, {"tenant": True}, {"tenant": {"id": 7}}])
def test_channel_data_of_an_unexpected_shape_is_no_tenant_or_channel(channel_data: dict[str, Any]) -> None:
    """Found by hypothesis: AttributeError on `channelData: {"tenant": true}` (an apology, not an answer)."""
    activity = {
        "type": "message",
        "id": "0",
        "text": "What is my notice period?",
        "from": {"id": "0"},
        "recipient": {"id": "0"},
        "conversation": {"id": "0"},
        "serviceUrl": "https://smba.trafficmanager.net/uk/",
        "channelId": "msteams",
        "channelData": channel_data,
    }
    said = said_from(Activity.model_validate(activity))
    assert said is not None and said.channel is None and said.address.tenant_or_team is None


@given(activities)
def test_any_invoke_parses_to_a_rating_or_to_nothing(activity: dict[str, Any]) -> None:
    rating_from(Activity.model_validate(activity))


@given(st.none() | st.text())
def test_mentions_are_stripped_from_any_text(text: str | None) -> None:
    assert "<at>" not in strip_mentions(f"<at>rightsbot</at> {text}") or "<at>" in (text or "")
