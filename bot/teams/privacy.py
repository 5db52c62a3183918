"""Logging that never carries what members wrote: activity types, ids, timings and error types only.

The Agents SDK logs an unrouted message's text at WARNING and a failed turn's exception text at
ERROR (both can hold a member's words), and request details at INFO and DEBUG, so its loggers are
held at CRITICAL (bot/logs.py, LIBRARY_FLOORS): our own handlers log every failure, our way.
"""

from __future__ import annotations

import logging

from bot import logs

log = logging.getLogger("rightsbot.teams")

SDK_LOGGERS = ("microsoft_agents", "msal", "aiohttp.access")


def log_failure(what: str, error: BaseException) -> None:
    logs.log_failure(log, what, error)


def quiet_sdk_loggers() -> None:
    for name in SDK_LOGGERS:
        logs.hold(name)
