"""Global middleware: a privacy-safe request log, only the union's workspaces served, and
de-duplication of Slack's event retries."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

from slack_bolt.middleware import Middleware
from slack_bolt.request import BoltRequest
from slack_bolt.response import BoltResponse

from bot.dedupe import SeenKeys
from bot.slack.member_teams import MemberTeams

log = logging.getLogger("rightsbot.slack.requests")


def first_header(req: BoltRequest, name: str) -> str | None:
    values = req.headers.get(name) or []
    return values[0] if values else None


def safe_word(value: object, otherwise: str = "unknown") -> str:
    """An identifier from a request (event type, action id) as logged: Slack's own are short words;
    anything else could be anyone's text, so it is not written."""
    if isinstance(value, str) and re.fullmatch(r"[\w./:-]{1,64}", value):
        return value
    return otherwise


def describe(req: BoltRequest) -> str:
    """Kind, ids and retry count of a request; never its text."""
    body = req.body
    event: dict = body["event"] if isinstance(body.get("event"), dict) else {}
    kind = safe_word(event.get("type") or body.get("command") or body.get("type"))
    actions = body.get("actions")
    first = actions[0] if isinstance(actions, list) and actions and isinstance(actions[0], dict) else {}
    action = safe_word(first.get("action_id"), "")
    return (
        f"kind={kind}{'/' + action if action else ''} event_id={safe_word(body.get('event_id'), '-')} "
        f"retry={first_header(req, 'x-slack-retry-num') or 0}"
    )


class RequestLog(Middleware):
    def process(
        self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]
    ) -> BoltResponse:
        log.info("slack request %s", describe(req))
        return next()


class ServeOnlyOurWorkspaces(Middleware):
    """A correctly signed request from a workspace the union does not run the bot for (the app
    installed elsewhere) is acknowledged and dropped: no answer, no escalation. Bolt has read the
    workspace from the envelope into the context, for events, actions, commands and shortcuts alike."""

    def __init__(self, teams: MemberTeams) -> None:
        self.teams = teams

    def process(
        self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]
    ) -> BoltResponse:
        team, enterprise = req.context.team_id, req.context.enterprise_id
        if self.teams.serves(team, enterprise):
            return next()
        log.info("ignored request from another workspace team=%s enterprise=%s", team, enterprise)
        return BoltResponse(status=200, body="")


class DropRetriedEvents(Middleware):
    """Slack re-sends an event (same event_id, X-Slack-Retry-Num) when our ack looked late or failed.

    The first sighting is recorded in the database before the ack, so a retry is acknowledged and
    dropped, even one that arrives after a restart.
    """

    def __init__(self, seen: SeenKeys) -> None:
        self.seen = seen

    def process(
        self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]
    ) -> BoltResponse:
        event_id = req.body.get("event_id")
        if event_id and not self.seen.first_sighting("slack", f"event:{event_id}"):
            log.info(
                "dropped retried event event_id=%s retry=%s", event_id, first_header(req, "x-slack-retry-num")
            )
            return BoltResponse(status=200, body="")
        return next()
