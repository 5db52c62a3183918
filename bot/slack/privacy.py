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


def quiet_logger(name: str) -> logging.Logger:
    """Bolt and slack_sdk log whole payloads at DEBUG, so their loggers are pinned at INFO or above,
    whatever level the root logger is later given."""
    logger = logging.getLogger(name)
    if logger.level < logging.INFO:  # NOTSET (0) would inherit the root's level
        logger.setLevel(logging.INFO)
    return logger
