"""Logs are JSON lines an operator can search, with people's ids hashed, and nothing a library logs at
DEBUG (request bodies, message text) gets through, whatever RIGHTSBOT_LOG_LEVEL says."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import pytest
from pydantic import SecretStr

from bot.cli import main
from bot.logs import JsonLinesHandler, configure_logging, pseudonym
from bot.settings import Settings

WORDS = "my manager Priya Zebedee-Quartz shouted at me"


@pytest.fixture
def debug_logs(capsys: pytest.CaptureFixture[str]) -> Iterator[Settings]:
    settings = Settings(
        log_level="debug",
        slack_bot_token="xoxb-planted-token",
        slack_signing_secret="planted-signing-secret",
    )
    root = logging.getLogger()
    level = root.level
    handler = configure_logging(settings)
    capsys.readouterr()
    yield settings
    root.removeHandler(handler)
    root.setLevel(level)


def lines(capsys: pytest.CaptureFixture[str]) -> list[dict]:
    return [json.loads(line) for line in capsys.readouterr().err.splitlines()]


def test_a_line_has_time_level_logger_message_and_extra_fields(
    debug_logs: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    logging.getLogger("rightsbot.slack").info("answered turns=%d", 2, extra={"ms": 12.5})

    [line] = lines(capsys)
    assert set(line) == {"time", "level", "logger", "message", "ms"}
    assert (line["level"], line["logger"], line["message"], line["ms"]) == (
        "INFO",
        "rightsbot.slack",
        "answered turns=2",
        12.5,
    )
    assert line["time"].endswith("+00:00")


def test_ids_of_people_are_hashed_alike_within_a_deployment(
    debug_logs: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    log = logging.getLogger("rightsbot.slack")
    log.info("answered", extra={"user": "UPRIYA", "channel": "DPRIYA"})
    log.info("answered", extra={"user": "UPRIYA", "channel": "CGENERAL"})
    configure_logging(debug_logs)  # a restart (or another replica) with the same secret
    log.info("answered", extra={"user": "UPRIYA"})

    first, second, third = lines(capsys)
    assert "UPRIYA" not in json.dumps([first, second, third]) and "DPRIYA" not in json.dumps(first)
    assert first["user"] == second["user"] == third["user"] and len(first["user"]) == 12
    assert first["channel"] != second["channel"]
    assert pseudonym(b"another key", "UPRIYA") != first["user"]


def test_libraries_stay_quiet_at_debug_and_payload_loggers_are_withheld(
    debug_logs: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in (
        "slack_sdk.web.base_client",
        "slack_bolt.App",
        "urllib3.connectionpool",
        "chromadb",
        "waitress",
    ):
        logger = logging.getLogger(name)
        logger.setLevel(logging.DEBUG)  # as Bolt does: it copies the root's level onto its loggers
        logger.debug("Sending a request - body: %s", WORDS)
        logger.info("Request body: %s", WORDS)
    logging.getLogger("microsoft_agents.hosting").error("turn failed: %s", WORDS)
    logging.getLogger("slack_bolt.App").warning("Unhandled request (%s)", WORDS)
    logging.getLogger("rightsbot.slack.bolt").warning("Unhandled request (%s)", WORDS)
    logging.getLogger("asyncio").error("Task exception was never retrieved: ValueError(%r)", WORDS)
    logging.getLogger("urllib3.connectionpool").warning("Connection pool is full")

    logged = lines(capsys)
    assert [(line["logger"], line["message"]) for line in logged] == [
        ("slack_bolt.App", "(library message withheld: it may carry request data)"),
        ("rightsbot.slack.bolt", "(library message withheld: it may carry request data)"),
        ("asyncio", "(library message withheld: it may carry request data)"),
        ("urllib3.connectionpool", "Connection pool is full"),
    ]


def test_exceptions_keep_their_type_and_frames_not_their_text(
    debug_logs: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    try:
        raise ValueError(WORDS)
    except ValueError:
        # (waitress, Bolt and slack_sdk loggers also drop the exception itself: bot/slack/privacy.py)
        logging.getLogger("urllib3.connectionpool").exception("Exception while serving /slack/events")
        logging.getLogger("rightsbot.teams").exception("failed")

    logged = lines(capsys)
    assert [line["error"] for line in logged] == ["ValueError", "ValueError"]
    assert "test_exceptions_keep" in logged[0]["trace"] and "Zebedee" not in json.dumps(logged)


def test_configured_secrets_never_reach_a_line(
    debug_logs: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    logging.getLogger("rightsbot").warning("oops %s %s", "xoxb-planted-token", "planted-signing-secret")

    [line] = lines(capsys)
    assert line["message"] == "oops [secret] [secret]"


def test_the_handler_writes_to_stderr_as_it_is_now(
    debug_logs: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    [handler] = [h for h in logging.getLogger().handlers if isinstance(h, JsonLinesHandler)]
    logging.getLogger("rightsbot").info("after a capture swapped stderr")

    assert "after a capture swapped stderr" in capsys.readouterr().err


def test_the_log_id_key_can_be_set(capsys: pytest.CaptureFixture[str]) -> None:
    one = Settings(log_id_key=SecretStr("first-log-id-key"), slack_signing_secret="same-signing-secret")
    two = Settings(log_id_key=SecretStr("second-log-id-key"), slack_signing_secret="same-signing-secret")
    root, level = logging.getLogger(), logging.getLogger().level
    hashes = []
    for settings in (one, two):
        handler = configure_logging(settings)
        logging.getLogger("rightsbot").info("x", extra={"user": "U1"})
        hashes.append(json.loads(capsys.readouterr().err)["user"])
        root.removeHandler(handler)
    root.setLevel(level)
    assert hashes[0] != hashes[1]


def test_a_teams_only_deployment_hashes_with_its_client_secret(capsys: pytest.CaptureFixture[str]) -> None:
    root, level = logging.getLogger(), logging.getLogger().level
    hashes = []
    for _ in range(2):  # two replicas, or a restart
        handler = configure_logging(Settings(), also_hide=["teams-client-secret-value"])
        logging.getLogger("rightsbot").info("x teams-client-secret-value", extra={"user": "29:1abc"})
        line = json.loads(capsys.readouterr().err)
        hashes.append(line["user"])
        root.removeHandler(handler)
    root.setLevel(level)
    assert hashes[0] == hashes[1] and line["message"] == "x [secret]"


@pytest.mark.parametrize("level", ["debug", "WARNING", " info "])
def test_log_level_names_are_read_in_any_case(level: str) -> None:
    assert Settings(log_level=level).log_level == level.strip().upper()


def test_a_bad_log_level_is_one_clear_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("RIGHTSBOT_LOG_LEVEL", "LOUD")

    assert main(["sources"]) == 2

    err = capsys.readouterr().err
    assert err.startswith("rightsbot: bad setting RIGHTSBOT_LOG_LEVEL:") and "'LOUD'" in err
    assert err.count("\n") == 1
