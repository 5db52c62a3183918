"""Logging that never carries what members wrote: event types, ids, timings and error types only
(the rules, and the handler that enforces them, are in bot/logs.py)."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from bot import logs

log = logging.getLogger("rightsbot.slack")

F = TypeVar("F", bound=Callable[..., Any])


def log_failure(what: str, error: BaseException) -> None:
    logs.log_failure(log, what, error)


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
    """A logger to hand to Bolt or slack_sdk (they log whole payloads): held at WARNING or above, its
    messages withheld by our handler (bot/logs.py) and, for runs without that handler (tests, library
    use), by WithoutDetails on the logger itself. Bolt copies the level and filters of the logger it is
    given to every logger it makes (slack_bolt.logger._configure_from_base_logger)."""
    logger = logs.hold(name)
    if WITHOUT_DETAILS not in logger.filters:
        logger.addFilter(WITHOUT_DETAILS)
    return logger


def quiet_libraries() -> None:
    """Every library logger that exists by now (a filter only sees records made on its own logger, not
    on its children); ones made later still inherit their parent's WARNING level."""
    names = [name for name in logging.root.manager.loggerDict if name.split(".")[0] in LIBRARIES]
    for name in [*LIBRARIES, *names]:
        quiet_logger(name)
