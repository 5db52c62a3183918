"""Who is a national officer: one identity per officer across platforms, plus platform groups.

Officers come from settings (an officer id, a name, and accounts such as `slack:U123`,
`teams:29:1abc`) and from groups a platform keeps (a Slack user group), looked up by a callable that
the channel provides. A person the directory does not know still gets an identity (their account),
so the desk can say who tried; `is_officer` decides what they may do.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from bot.address import OfficerIdentity, account

GroupMembers = Callable[[], frozenset[str]]  # a platform's officer group: its members' user ids


class OfficerDirectory:
    def __init__(
        self, officers: Iterable[OfficerIdentity], groups: Mapping[str, GroupMembers] | None = None
    ) -> None:
        self.officers = tuple(officers)
        self.groups = dict(groups or {})
        self._by_account = {key: officer for officer in self.officers for key in officer.accounts}
        self._by_id = {officer.officer_id: officer for officer in self.officers}

    def identify(self, platform: str, user_id: str) -> OfficerIdentity:
        """The person behind a platform user id: their officer identity when listed, else their account."""
        key = account(platform, user_id)
        return self._by_account.get(key) or OfficerIdentity.of_account(platform, user_id)

    def by_id(self, officer_id: str | None) -> OfficerIdentity | None:
        """The identity stored on an escalation (an officer id, or an account for unlisted officers)."""
        if not officer_id:
            return None
        if officer_id in self._by_id:
            return self._by_id[officer_id]
        if officer_id in self._by_account:
            return self._by_account[officer_id]
        platform, _, user_id = officer_id.partition(":")
        return (
            OfficerIdentity.of_account(platform, user_id)
            if user_id
            else OfficerIdentity(officer_id=officer_id)
        )

    def is_officer(self, person: OfficerIdentity) -> bool:
        if person.officer_id in self._by_id:
            return True
        return any(self._in_group(key) for key in person.accounts)

    def _in_group(self, key: str) -> bool:
        platform, _, user_id = key.partition(":")
        members = self.groups.get(platform)
        return bool(members and user_id in members())
