"""Structured logs that keep members private, at every level (RIGHTSBOT_LOG_LEVEL=DEBUG included).

`configure_logging(settings)` gives the root logger one handler writing JSON lines to stderr:
`{"time", "level", "logger", "message", ...extra fields}`. What it guarantees, whatever a library does:

- Library loggers are held at a floor (`LIBRARY_FLOORS`) by a filter on our handler, not by their
  levels alone: Bolt copies the root's level onto the loggers it creates, and slack_sdk logs request
  and response bodies at DEBUG, Bolt whole request bodies at INFO and WARNING, the Agents SDK message
  text at WARNING and ERROR.
- A library's message is withheld (only its logger, level and error type are written) unless the
  library is known to log no request data (`PLAIN`). Every exception keeps its type and frames,
  never its text.
- People's ids passed as extra fields named in `PSEUDONYMISED` (`log.info("...", extra={"user": id})`)
  are written as a keyed hash (HMAC-SHA256, 12 hex digits): the same id gives the same hash within
  a deployment, so an operator can follow one person's trail without learning who they are.
- The configured tokens and secrets are replaced by `[secret]` wherever they would appear.

Our own log calls never put message text, names or ids into the message itself: ids go in `extra`.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
import sys
import traceback
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from bot.settings import Settings

# Loggers whose messages are ours to write; everything else is a library's.
OWN_PREFIXES = ("rightsbot", "bot", "knowledge", "ingest")
# Loggers we hand to libraries (Bolt's app logger, slack_sdk's WebClient logger): theirs, under our name.
LIBRARY_LOGGERS_UNDER_OUR_NAME = (
    "rightsbot.slack.bolt",
    "rightsbot.slack.web",
    "rightsbot.slack.assistant.bolt",
)

# The lowest level a library's record may have to be written, whatever RIGHTSBOT_LOG_LEVEL says.
LIBRARY_FLOOR = logging.WARNING
LIBRARY_FLOORS = {
    "microsoft_agents": logging.CRITICAL,  # unrouted message text at WARNING, exception text at ERROR
    "msal": logging.CRITICAL,
    "aiohttp.access": logging.CRITICAL,  # request lines
}
# Libraries whose messages are known to hold no request data (connection pools, the HTTP server's
# queue, migrations): written as they are. Every other library's message is withheld, since Bolt,
# slack_sdk, the Agents SDK, MSAL and aiohttp log bodies and text, and asyncio logs exceptions' reprs.
PLAIN = ("urllib3", "waitress", "sqlalchemy", "alembic", "httpcore", "filelock")
# Held at their floor up front, so their DEBUG records are not even made (the filter catches the rest).
HELD = (
    *LIBRARY_LOGGERS_UNDER_OUR_NAME,
    "slack_bolt",
    "slack_sdk",
    "microsoft_agents",
    "msal",
    "aiohttp",
    "aiohttp.access",
    "asyncio",
    "urllib3",
    "httpx",
    "httpcore",
    "chromadb",
    "sqlalchemy",
    "alembic",
    "waitress",
)
WITHHELD_MESSAGE = "(library message withheld: it may carry request data)"

# Extra fields that hold a person's or a conversation's id: hashed, never written as they are.
PSEUDONYMISED = frozenset({"user", "channel", "conversation", "team", "tenant", "officer"})
HASH_DIGITS = 12
MIN_SECRET_CHARS = 8

# Attributes every LogRecord has; anything else on a record came from `extra`.
RECORD_FIELDS = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


def configure_logging(settings: Settings, also_hide: Iterable[str] = ()) -> logging.Handler:
    """Install the one JSON handler on the root logger (replacing an earlier one of ours) at
    settings.log_level; returns it. `also_hide`: secrets read outside Settings (Teams' client secret)."""
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, JsonLinesHandler)]:
        root.removeHandler(old)
    also_hide = [secret for secret in also_hide if secret]
    hidden = [*configured_secrets(settings), *also_hide]
    handler = JsonLinesHandler(JsonFormatter(id_key(settings, also_hide), hidden))
    handler.addFilter(LibraryFloor())
    root.addHandler(handler)
    root.setLevel(settings.log_level)
    for name in HELD:
        hold(name)
    return handler


def hold(name: str) -> logging.Logger:
    """Keep a library's logger at its floor or above, so its DEBUG work is not even formatted.
    The handler's filter is what guarantees it: libraries may set their own loggers' levels."""
    logger = logging.getLogger(name)
    floor = library_floor(name)
    if logger.level < floor:  # NOTSET (0) would inherit the root's level
        logger.setLevel(floor)
    return logger


def is_own(name: str) -> bool:
    return under(name, OWN_PREFIXES) and not under(name, LIBRARY_LOGGERS_UNDER_OUR_NAME)


def under(name: str, prefixes: Iterable[str]) -> bool:
    return any(name == prefix or name.startswith(prefix + ".") for prefix in prefixes)


def library_floor(name: str) -> int:
    floors = [level for prefix, level in LIBRARY_FLOORS.items() if under(name, [prefix])]
    return max([LIBRARY_FLOOR, *floors])


class LibraryFloor(logging.Filter):
    """Drops a library's records below its floor, whichever level its logger was given."""

    def filter(self, record: logging.LogRecord) -> bool:
        return is_own(record.name) or record.levelno >= library_floor(record.name)


class JsonLinesHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever sys.stderr is now (not the stream at start-up), like logging's last resort."""

    def __init__(self, formatter: logging.Formatter) -> None:
        super().__init__()
        self.setFormatter(formatter)

    @property  # type: ignore[override]
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, _: Any) -> None:
        pass


class JsonFormatter(logging.Formatter):
    def __init__(self, key: bytes, hidden: Iterable[str] = ()) -> None:
        super().__init__()
        self.key = key
        # Shorter values would match ordinary words; real tokens and secrets are far longer.
        self.hidden = sorted((s for s in hidden if len(s) >= MIN_SECRET_CHARS), key=len, reverse=True)

    def format(self, record: logging.LogRecord) -> str:
        line = json.dumps(self.fields(record), ensure_ascii=False, default=str)
        for value in self.hidden:
            line = line.replace(value, "[secret]")
        return line

    def fields(self, record: logging.LogRecord) -> dict[str, Any]:
        own = is_own(record.name)
        withheld = not own and not under(record.name, PLAIN)
        fields: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": WITHHELD_MESSAGE if withheld else record.getMessage(),
        }
        for name, value in record.__dict__.items():
            if name not in RECORD_FIELDS and name not in fields:
                fields[name] = self.pseudonym(value) if name in PSEUDONYMISED else value
        if record.exc_info and record.exc_info[1] is not None:
            fields.update(error_fields(record.exc_info[1], with_frames=not withheld))
        return fields

    def pseudonym(self, value: object) -> str | None:
        return None if value is None else pseudonym(self.key, str(value))


def pseudonym(key: bytes, value: str) -> str:
    """A person's id as a keyed hash: stable within a deployment, meaningless outside it."""
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()[:HASH_DIGITS]


def log_failure(log: logging.Logger, what: str, error: BaseException) -> None:
    """`<what> failed error=<type>` and the last frames: never the exception's text."""
    frames = "".join(traceback.format_tb(error.__traceback__)[-3:])
    log.error("%s failed error=%s\n%s", what, type(error).__name__, frames)


def error_fields(error: BaseException, *, with_frames: bool) -> dict[str, str]:
    """Type and frames only: exception messages can carry a member's words (pydantic echoes input)."""
    fields = {"error": type(error).__name__}
    if with_frames:
        fields["trace"] = "".join(traceback.format_tb(error.__traceback__)[-3:])
    return fields


def id_key(settings: Settings, other_secrets: Iterable[str] = ()) -> bytes:
    """The key ids are hashed with: RIGHTSBOT_LOG_ID_KEY, else derived from the Slack signing secret
    or another secret every replica has (Teams' client secret), else random for this process (hashes
    then change on restart)."""
    given = settings.log_id_key or settings.slack.signing_secret
    chosen = given.get_secret_value() if given else next(iter(other_secrets), None)
    if not chosen:
        return secrets.token_bytes(32)
    return hmac.new(chosen.encode(), b"rightsbot log ids", hashlib.sha256).digest()


def configured_secrets(settings: Settings) -> list[str]:
    slack = settings.slack
    values = [slack.bot_token, slack.signing_secret, slack.app_token, settings.log_id_key]
    return [value.get_secret_value() for value in values if value is not None]
