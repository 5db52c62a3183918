"""The `rightsbot` commands as operators script them: flags, JSON fields and exit codes are contracts."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from bot.cli import main
from bot.console import ask_lines, stdin_lines
from bot.fakes import ScriptedEngine
from bot.settings import Settings

REPO = Path(__file__).resolve().parents[1]
INGEST_FIELDS = {"documents", "passages", "added", "updated", "removed", "unchanged", "skipped", "seconds"}
ASK_FIELDS = {"answer", "escalate", "escalation_reason", "confidence", "citations", "latency_ms"}
CITATION_FIELDS = {"n", "source_id", "title", "publication", "date", "locator", "quote"}


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, minilm) -> Path:  # noqa: ANN001
    monkeypatch.setenv("RIGHTSBOT_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


@pytest.fixture
def ingested(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    assert main(["ingest", str(REPO / "knowledge"), "--json"]) == 0
    capsys.readouterr()
    return data_dir


def run_json(args: list[str], capsys: pytest.CaptureFixture[str]):  # noqa: ANN201
    code = main(args)
    return code, json.loads(capsys.readouterr().out)


def test_ingest_json_reports_every_field_and_a_rerun_changes_nothing(data_dir: Path, capsys) -> None:  # noqa: ANN001
    code, first = run_json(["ingest", str(REPO / "knowledge"), "--json"], capsys)
    assert code == 0 and set(first) == INGEST_FIELDS and first["added"] == first["passages"] > 100
    code, second = run_json(["ingest", str(REPO / "knowledge"), "--json"], capsys)
    assert (second["added"], second["updated"], second["removed"]) == (0, 0, 0)
    assert second["unchanged"] == first["passages"]


def test_ingest_skips_bad_files_with_reasons_and_strict_fails(data_dir: Path, tmp_path: Path, capsys) -> None:  # noqa: ANN001
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "good.md").write_text(
        "# Holiday\n\nFull-time workers get at least 5.6 weeks of paid holiday each year.\n"
    )
    (folder / "bad.pdf").write_bytes(b"not a pdf at all")
    code, report = run_json(["ingest", str(folder), "--json"], capsys)
    assert code == 0 and report["documents"] == 1
    assert report["skipped"] == [{"path": str(folder / "bad.pdf"), "reason": report["skipped"][0]["reason"]}]
    code, _ = run_json(["ingest", str(folder), "--json", "--strict"], capsys)
    assert code == 1


def test_ingest_of_nothing_usable_fails_with_a_message(data_dir: Path, tmp_path: Path, capsys) -> None:  # noqa: ANN001
    assert main(["ingest", str(tmp_path / "nowhere")]) == 1
    assert "no such file or folder" in capsys.readouterr().err


def test_rebuild_starts_clean(ingested: Path, tmp_path: Path, capsys) -> None:  # noqa: ANN001
    folder = tmp_path / "other"
    folder.mkdir()
    (folder / "note.md").write_text(
        "# Note\n\nA rebuilt index holds only what this run ingested, nothing older.\n"
    )
    code, report = run_json(["ingest", str(folder), "--rebuild", "--json"], capsys)
    code, sources = run_json(["sources", "--json"], capsys)
    assert [s["source_id"] for s in sources] == ["other/note.md"]


def test_sources_and_search_show_citations(ingested: Path, capsys) -> None:  # noqa: ANN001
    code, sources = run_json(["sources", "--json"], capsys)
    assert code == 0 and len(sources) >= 12
    assert {"source_id", "kind", "title", "publication", "date", "passages"} <= set(sources[0])
    code, hits = run_json(["search", "how much notice must my employer give", "--json", "-k", "3"], capsys)
    assert len(hits) == 3 and hits[0]["source_id"] == "knowledge/factsheets/notice-periods.md"
    assert {"score", "citation", "text", "source_id"} <= set(hits[0])


def test_ask_json_follows_the_contract(ingested: Path, capsys) -> None:  # noqa: ANN001
    code, reply = run_json(["ask", "How much notice does my employer have to give me?", "--json"], capsys)
    assert code == 0 and set(reply) >= ASK_FIELDS
    assert reply["citations"] and set(reply["citations"][0]) >= CITATION_FIELDS
    assert reply["citations"][0]["source_id"].startswith("knowledge/factsheets/")


def test_ask_reads_one_question_per_line_from_stdin(ingested: Path, capsys, monkeypatch) -> None:  # noqa: ANN001
    stdin = (
        b"What is a fixed-term contract?\r\n\r\nhello\n\xff\xfe\x00\x01junk\nI want to speak to an officer"
    )
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(stdin)))
    assert main(["ask", "--json"]) == 0
    replies = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(replies) == 5  # a blank CRLF line and a line of junk get their own replies
    assert [r["kind"] for r in replies][1::2] == ["invalid_input", "invalid_input"]
    assert replies[4]["escalate"] and replies[4]["escalation_reason"] == "asked_for_person"


# One result per input line, whatever the line: operators zip inputs with outputs.
LINES = [
    (b"What is a fixed-term contract?\n", "answer"),
    (b"\n", "invalid_input"),  # blank
    (b"   \t \n", "invalid_input"),  # whitespace only
    (b"hello\r\n", "smalltalk"),  # CRLF
    (b"\r\n", "invalid_input"),  # a blank CRLF line
    (b"\x89PNG\x00\xff\xfe\x01\x02\n", "invalid_input"),  # binary junk
    (b"caf\xe9 workers' pay\n", "answer"),  # Windows-1252, not UTF-8: still a question
    (b"What about the weather?", "out_of_scope"),  # a last line without a newline
]


@pytest.mark.parametrize("as_json", [True, False])
def test_ask_prints_exactly_one_result_per_stdin_line(settings, as_json: bool, capsys) -> None:  # noqa: ANN001
    engine = ScriptedEngine()
    stdin = io.BytesIO(b"".join(line for line, _ in LINES))
    assert ask_lines(settings, stdin_lines(stdin), as_json=as_json, engine=engine) == 0
    out = capsys.readouterr().out
    assert len(engine.questions) == len(LINES)
    assert engine.questions[3].text == "hello" and engine.questions[6].text == "café workers' pay"
    if as_json:
        assert [json.loads(line)["kind"] for line in out.splitlines()] == [kind for _, kind in LINES]
    else:  # one block per line, each ended by a rule of dashes
        blocks = out.split("-" * 60 + "\n")
        assert len(blocks) == len(LINES) + 1 and blocks[-1] == ""


def test_ask_on_empty_stdin_prints_nothing(settings, capsys) -> None:  # noqa: ANN001
    assert ask_lines(settings, stdin_lines(io.BytesIO(b"")), as_json=True, engine=ScriptedEngine()) == 0
    assert capsys.readouterr().out == ""


def test_a_line_the_engine_fails_on_still_gets_its_result(settings, capsys) -> None:  # noqa: ANN001
    stdin = io.BytesIO(b"hello\nthis will crash\nhello\n")
    assert ask_lines(settings, stdin_lines(stdin), as_json=True, engine=ScriptedEngine()) == 1
    captured = capsys.readouterr()
    replies = [json.loads(line) for line in captured.out.splitlines()]
    assert [r["kind"] for r in replies] == ["smalltalk", "error", "smalltalk"]
    assert replies[1]["escalate"] and replies[1]["escalation_reason"] == "failure"
    assert "line 2" in captured.err and "crash" not in captured.err  # never the question's text


def test_chat_remembers_the_thread(ingested: Path, capsys, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setattr(
        "sys.stdin", io.StringIO("How long is the statutory trial period?\nand can it be extended?\nquit\n")
    )
    assert main(["chat"]) == 0
    out = capsys.readouterr().out
    assert out.count("Sources:") == 2 and "trial period" in out.lower()


def test_a_missing_subcommand_prints_usage_not_a_traceback(capsys) -> None:  # noqa: ANN001
    with pytest.raises(SystemExit) as exit_:
        main([])
    assert exit_.value.code == 2 and "Traceback" not in capsys.readouterr().err


@pytest.mark.parametrize("port", ["99999", "65536", "-1", "http"])
def test_a_port_out_of_range_is_refused(capsys: pytest.CaptureFixture[str], port: str) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["slack", "--http", "--port", port])
    assert exit_.value.code == 2 and "0 to 65535" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("RIGHTSBOT_STORES__CHROMA_TIMEOUT_SECONDS", "-1"),
        ("RIGHTSBOT_STORES__CHROMA_TIMEOUT_SECONDS", "nan"),
        ("RIGHTSBOT_STORES__RETRY_AFTER_SECONDS", "0"),
    ],
)
def test_a_timeout_that_could_never_wait_is_a_bad_setting(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    assert main(["sources"]) == 2
    assert name in capsys.readouterr().err


def test_an_empty_setting_means_not_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RIGHTSBOT_LOG_LEVEL", "")
    monkeypatch.setenv("RIGHTSBOT_SLACK__API_URL", "")
    settings = Settings()
    assert settings.log_level == "INFO" and settings.slack.api_url is None
