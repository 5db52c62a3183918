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


def quiet_logger(name: str) -> logging.Logger:
    """A logger to hand to Bolt or slack_sdk (they log whole payloads): held at WARNING or above,
    and its messages withheld by our handler (see bot/logs.py, LIBRARY_LOGGERS_UNDER_OUR_NAME)."""
    return logs.hold(name)
