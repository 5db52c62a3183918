"""A Slack user group whose members are national officers, for the desk's OfficerDirectory (cached briefly)."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

log = logging.getLogger("rightsbot.slack.officers")


class SlackUserGroup:
    """Callable: the group's member user ids, fetched with usergroups.users.list at most every ttl."""

    def __init__(
        self,
        client: WebClient,
        group_id: str,
        ttl_seconds: float = 300.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client = client
        self.group_id = group_id
        self.ttl_seconds = ttl_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._members: frozenset[str] = frozenset()
        self._fetched_at: float | None = None

    def __call__(self) -> frozenset[str]:
        with self._lock:
            if self._fetched_at is None or self._clock() - self._fetched_at > self.ttl_seconds:
                self._refresh()
            return self._members

    def _refresh(self) -> None:
        """On a Slack error keep the last list we had: a blip must not lock officers out."""
        try:
            found = self.client.usergroups_users_list(usergroup=self.group_id)
            self._members = frozenset(found.get("users") or [])
            self._fetched_at = self._clock()
        except SlackApiError as error:
            log.warning("officer group lookup failed error=%s", error.response.get("error"))
