"""Logging that never carries what members wrote: activity types, ids, timings and error types only.

The Agents SDK logs an unrouted message's text at WARNING and a failed turn's exception text at
ERROR (both can hold a member's words), and request details at INFO and DEBUG, so its loggers are
held at CRITICAL: our own handlers log every failure, our way.
"""

from __future__ import annotations

import logging
import traceback

log = logging.getLogger("rightsbot.teams")

SDK_LOGGERS = ("microsoft_agents", "msal", "aiohttp.access")


def log_failure(what: str, error: BaseException) -> None:
    """Type and frames only: exception messages can carry a member's words (pydantic echoes input)."""
    frames = "".join(traceback.format_tb(error.__traceback__)[-3:])
    log.error("%s failed error=%s\n%s", what, type(error).__name__, frames)


def quiet_sdk_loggers() -> None:
    for name in SDK_LOGGERS:
        logging.getLogger(name).setLevel(logging.CRITICAL)
