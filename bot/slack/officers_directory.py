"""Who is a national officer: listed user ids, and/or members of a Slack user group (cached briefly)."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

log = logging.getLogger("rightsbot.slack.officers")


class OfficerDirectory:
    def __init__(
        self,
        client: WebClient,
        officer_ids: Iterable[str],
        officer_group: str | None,
        ttl_seconds: float = 300.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client = client
        self.officer_ids = frozenset(officer_ids)
        self.officer_group = officer_group
        self.ttl_seconds = ttl_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._group: frozenset[str] = frozenset()
        self._fetched_at: float | None = None

    def is_officer(self, user: str) -> bool:
        return user in self.officer_ids or user in self.group_members()

    def group_members(self) -> frozenset[str]:
        if not self.officer_group:
            return frozenset()
        with self._lock:
            if self._fetched_at is None or self._clock() - self._fetched_at > self.ttl_seconds:
                self._refresh()
            return self._group

    def _refresh(self) -> None:
        """On a Slack error keep the last list we had: a blip must not lock officers out."""
        try:
            found = self.client.usergroups_users_list(usergroup=self.officer_group or "")
            self._group = frozenset(found.get("users") or [])
            self._fetched_at = self._clock()
        except SlackApiError as error:
            log.warning("officer group lookup failed error=%s", error.response.get("error"))
