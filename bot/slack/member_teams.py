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
        self._home_enterprise: str | None = None
        self._lock = threading.Lock()

    def is_member(self, team: str | None) -> bool:
        """A person's workspace counts when it is the union's; an event without one is the home
        workspace's own (Slack only adds user_team where workspaces meet)."""
        if team is None or team in self.extra:
            return True
        home = self.home()
        return home is None or team == home  # without auth.test we cannot tell: treat as before

    def serves(self, team: str | None, enterprise: str | None) -> bool:
        """Whether a request's workspace (its envelope's, as Bolt reads it: `authorizations[0]` of an
        event, `team` of an action, `team_id` of a command) is one the union runs the bot for: the
        installed workspace, its organisation for an org-wide install, or one in the settings. Not
        whose person is speaking: in Slack Connect that is `user_team`, and is_member's question."""
        if (team and team in self.extra) or (enterprise and enterprise in self.extra):
            return True
        if self.home() is None:
            return True  # without auth.test we cannot tell: serve rather than go silent
        return (team is not None and team == self._home) or (
            enterprise is not None and enterprise == self._home_enterprise
        )

    def home(self) -> str | None:
        """The installed workspace's team id, asked once (auth.test) and kept."""
        with self._lock:
            if self._home is None:
                try:
                    found = self.client.auth_test()
                except SlackApiError as error:
                    log.warning("auth.test failed error=%s", error.response.get("error"))
                else:
                    self._home = found.get("team_id")
                    # An org-wide install serves every workspace of its Enterprise Grid organisation.
                    self._home_enterprise = found.get("enterprise_id") if found.get("is_enterprise_install") else None
            return self._home
