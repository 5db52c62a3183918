"""Builds the Slack app over the shared Services: handlers' dependencies, middleware, listeners."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor

from slack_bolt import App
from slack_bolt.error import BoltUnhandledRequestError
from slack_bolt.response import BoltResponse
from slack_sdk import WebClient

from bot.slack import actions, assistant, commands, home, messages, officers
from bot.slack.client import secret, web_client
from bot.slack.deps import SlackDeps
from bot.slack.member_teams import MemberTeams
from bot.slack.middleware import DropRetriedEvents, RequestLog, ServeOnlyOurWorkspaces, safe_word
from bot.slack.privacy import log_failure, quiet_libraries, quiet_logger
from bot.wiring import Services

__all__ = ["build_slack_app", "secret", "web_client"]

log = logging.getLogger("rightsbot.slack")


def build_slack_app(services: Services) -> App:
    client = services.slack_client
    if client is None:
        raise ValueError("SLACK_BOT_TOKEN is not set: the Slack app needs it")
    slack = services.settings.slack
    deps = build_deps(services, client)
    app = App(
        client=client,
        signing_secret=secret(slack.signing_secret),
        process_before_response=True,  # acks run in the request thread; only lazy work uses the pool
        raise_error_for_unhandled_request=True,  # Bolt's own warning would log the whole payload
        logger=quiet_logger("rightsbot.slack.bolt"),
        listener_executor=ThreadPoolExecutor(max_workers=8, thread_name_prefix="rightsbot-slack"),
    )
    app.use(RequestLog())
    app.use(ServeOnlyOurWorkspaces(deps.member_teams))  # before anything is recorded or answered
    app.use(DropRetriedEvents(services.stores.seen))
    app.error(on_error)
    assistant.register(app)  # before home: it takes the Messages tab's app_home_opened
    for module in (messages, commands, actions, officers, home):
        module.register(app, deps)
    quiet_libraries()
    return app


def build_deps(services: Services, client: WebClient) -> SlackDeps:
    slack = services.settings.slack
    return SlackDeps(
        engine=services.engine,
        desk=services.desk,
        feedback=services.stores.feedback,
        seen=services.stores.seen,
        member_teams=MemberTeams(client, slack.member_team_ids),
        slack=slack,
        limits=services.limits,
        retention_days=services.settings.escalation_retention_days,
    )


def on_error(error: Exception) -> BoltResponse:
    """Slack retries anything but a 2xx, so requests we do not handle are still acknowledged."""
    if isinstance(error, BoltUnhandledRequestError):
        body = error.body or {}
        event: dict = body["event"] if isinstance(body.get("event"), dict) else {}
        log.info("unhandled slack request kind=%s", safe_word(event.get("type") or body.get("type")))
        return BoltResponse(status=200, body="")
    log_failure("slack request", error)
    return BoltResponse(status=500, body="")
