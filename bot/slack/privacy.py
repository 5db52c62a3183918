"""Logging that never carries what members wrote: event types, ids, timings and error types only."""

from __future__ import annotations

import functools
import logging
import traceback
from collections.abc import Callable
from typing import Any, TypeVar

log = logging.getLogger("rightsbot.slack")

F = TypeVar("F", bound=Callable[..., Any])


def log_failure(what: str, error: BaseException) -> None:
    """Type and frames only: exception messages can carry a member's words (pydantic echoes input)."""
    frames = "".join(traceback.format_tb(error.__traceback__)[-3:])
    log.error("%s failed error=%s\n%s", what, type(error).__name__, frames)


def guarded(what: str) -> Callable[[F], F]:
    """Wrap a lazy listener so its failures are logged our way, not with Bolt's message-bearing line."""

    def decorate(func: F) -> F:
        @functools.wraps(func)  # Bolt reads the wrapped signature to inject arguments by name
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                return func(*args, **kwargs)
            except Exception as error:
                log_failure(what, error)
                return None

        return wrapper  # type: ignore[return-value]

    return decorate


LIBRARIES = ("slack_bolt", "slack_sdk", "waitress")  # and the loggers handed to Bolt and the WebClient


class WithoutDetails(logging.Filter):
    """For a library's logger: nothing below WARNING, and at WARNING and above only the level, the
    logger's name and the exception's type. Bolt logs a request it refuses at INFO with its whole
    body ("Invalid request signature detected (... body: ...)"), and its warnings and the exception
    messages in tracebacks can carry payloads too; no library message is let through as written."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING:
            return False
        error = record.exc_info[0].__name__ if record.exc_info and record.exc_info[0] else None
        record.msg = f"{record.name} {record.levelname.lower()} (details withheld)"
        record.msg += f" error={error}" if error else ""
        record.args, record.exc_info, record.exc_text, record.stack_info = None, None, None, None
        return True


WITHOUT_DETAILS = WithoutDetails()


def quiet_logger(name: str) -> logging.Logger:
    """A library's logger (or one handed to Bolt or the WebClient), pinned at WARNING and filtered by
    WithoutDetails, whatever level the root logger is later given. Bolt copies the level and filters
    of the logger it is given to every logger it makes (slack_bolt.logger._configure_from_base_logger)."""
    logger = logging.getLogger(name)
    if logger.level < logging.WARNING:  # NOTSET (0) would inherit the root's level
        logger.setLevel(logging.WARNING)
    if WITHOUT_DETAILS not in logger.filters:
        logger.addFilter(WITHOUT_DETAILS)
    return logger


def quiet_libraries() -> None:
    """Every library logger that exists by now (a filter only sees records made on its own logger, not
    on its children); ones made later still inherit their parent's WARNING level."""
    names = [name for name in logging.root.manager.loggerDict if name.split(".")[0] in LIBRARIES]
    for name in [*LIBRARIES, *names]:
        quiet_logger(name)
