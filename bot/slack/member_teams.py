"""Whose questions are the union's: members in the union's own Slack workspaces, not their guests.

In a Slack Connect channel people from other organisations (an employer's HR, say) can @mention the
bot. Only the workspace the app is installed in (as auth.test reports it) and the team ids the
settings add count as members; the rest get general information at most, never a hand-over.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

log = logging.getLogger("rightsbot.slack.teams")


class MemberTeams:
    def __init__(self, client: WebClient, extra_team_ids: Iterable[str] = ()) -> None:
        self.client = client
        self.extra = frozenset(extra_team_ids)
        self._home: str | None = None
        self._lock = threading.Lock()

    def is_member(self, team: str | None) -> bool:
        """A person's workspace counts when it is the union's; an event without one is the home
        workspace's own (Slack only adds user_team where workspaces meet)."""
        if team is None or team in self.extra:
            return True
        home = self.home()
        return home is None or team == home  # without auth.test we cannot tell: treat as before

    def home(self) -> str | None:
        """The installed workspace's team id, asked once (auth.test) and kept."""
        with self._lock:
            if self._home is None:
                try:
                    self._home = self.client.auth_test().get("team_id")
                except SlackApiError as error:
                    log.warning("auth.test failed error=%s", error.response.get("error"))
            return self._home
