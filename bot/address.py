"""Who and where, on any channel: a member's conversation address, and an officer's one identity.

An *account* is one person on one platform, written `platform:user_id` (`slack:U123`, `teams:29:1abc`):
Teams user ids contain colons, so only the first colon separates the platform.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

Platform = Literal["slack", "teams"]


def account(platform: str, user_id: str) -> str:
    """`slack` + `U123` -> `slack:U123`."""
    return f"{platform}:{user_id}"


def split_account(value: str) -> tuple[str, str]:
    """`teams:29:1abc` -> (`teams`, `29:1abc`); raises ValueError without a platform prefix."""
    platform, sep, user_id = value.partition(":")
    if not sep or not platform or not user_id:
        raise ValueError(f"an account is written platform:user_id, e.g. slack:U123 (got {value!r})")
    return platform, user_id


class ConversationAddress(BaseModel):
    """Where a member asked, and so where the desk answers them: one conversation (and thread) on one
    platform. Slack: conversation_id is the channel (C…/D…), thread_id the thread's root ts. Teams:
    conversation_id is the conversation id (often >100 characters), thread_id the reply chain's root
    activity id when there is one, tenant_or_team the tenant id, and reference the serialised
    ConversationReference needed for proactive messages."""

    model_config = ConfigDict(frozen=True)

    platform: Platform
    conversation_id: str
    thread_id: str | None = None
    user_id: str
    tenant_or_team: str | None = None
    service_url: str | None = None
    reference: dict[str, Any] | None = None

    @property
    def account(self) -> str:
        return account(self.platform, self.user_id)

    def in_thread(self, thread_id: str | None) -> ConversationAddress:
        return self.model_copy(update={"thread_id": thread_id})


class OfficerIdentity(BaseModel):
    """One national officer across platforms (or, for a person the directory does not know, that one
    account: `identify` never fails, `is_officer` decides). `officer_id` is what the store keeps."""

    model_config = ConfigDict(frozen=True)

    officer_id: str
    name: str | None = None
    accounts: tuple[str, ...] = ()

    def user_id_on(self, platform: str) -> str | None:
        """This officer's user id on a platform, or None when they have no account there."""
        for value in self.accounts:
            found, user_id = split_account(value)
            if found == platform:
                return user_id
        return None

    @classmethod
    def of_account(cls, platform: str, user_id: str) -> OfficerIdentity:
        """A person known only by one account (legacy RIGHTSBOT_OFFICER_IDS, group members, strangers)."""
        key = account(platform, user_id)
        return cls(officer_id=key, accounts=(key,))
