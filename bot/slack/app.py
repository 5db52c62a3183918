"""The one place that builds the Slack app: a WebClient, the handlers' dependencies, middleware, listeners."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor

from slack_bolt import App
from slack_bolt.error import BoltUnhandledRequestError
from slack_bolt.response import BoltResponse
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot.escalations import EscalationStore
from bot.feedback import FeedbackStore
from bot.reply import Engine
from bot.settings import Settings, SlackSettings
from bot.slack import actions, assistant, commands, home, messages, officers
from bot.slack.deps import SlackDeps
from bot.slack.desk import EscalationDesk
from bot.slack.middleware import DropRetriedEvents, RequestLog
from bot.slack.officers_directory import OfficerDirectory
from bot.slack.privacy import log_failure, quiet_logger

log = logging.getLogger("rightsbot.slack")


def build_slack_app(
    settings: Settings, engine: Engine, escalations: EscalationStore, feedback: FeedbackStore
) -> App:
    slack = settings.slack
    client = web_client(slack)
    deps = build_deps(settings, engine, escalations, feedback, client)
    app = App(
        client=client,
        signing_secret=secret(slack.signing_secret),
        process_before_response=True,  # acks run in the request thread; only lazy work uses the pool
        raise_error_for_unhandled_request=True,  # Bolt's own warning would log the whole payload
        logger=quiet_logger("rightsbot.slack.bolt"),
        listener_executor=ThreadPoolExecutor(max_workers=8, thread_name_prefix="rightsbot-slack"),
    )
    app.use(RequestLog())
    app.use(DropRetriedEvents(escalations))
    app.error(on_error)
    assistant.register(app)  # before home: it takes the Messages tab's app_home_opened
    for module in (messages, commands, actions, officers, home):
        module.register(app, deps)
    return app


def build_deps(
    settings: Settings,
    engine: Engine,
    escalations: EscalationStore,
    feedback: FeedbackStore,
    client: WebClient,
) -> SlackDeps:
    slack = settings.slack
    return SlackDeps(
        engine=engine,
        escalations=escalations,
        feedback=feedback,
        desk=EscalationDesk(client, escalations, slack.officers_channel),
        officers=OfficerDirectory(client, slack.officer_ids, slack.officer_group),
        officers_channel=slack.officers_channel,
        answer_retention_days=slack.answer_retention_days,
        retention_days=settings.escalation_retention_days,
    )


def web_client(slack: SlackSettings) -> WebClient:
    """One client for everything; it retries a 429 (after Retry-After) and a 5xx once within the request."""
    for noisy in ("slack_sdk", "slack_bolt"):
        quiet_logger(noisy)
    extra = {"base_url": slack.api_url.rstrip("/") + "/"} if slack.api_url else {}
    return WebClient(
        token=secret(slack.bot_token),
        timeout=15,
        logger=quiet_logger("rightsbot.slack.web"),
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=1),
            RateLimitErrorRetryHandler(max_retry_count=1),
            ServerErrorRetryHandler(max_retry_count=1),
        ],
        **extra,  # type: ignore[arg-type]
    )


def secret(value: object) -> str | None:
    return value.get_secret_value() if value is not None else None  # type: ignore[attr-defined]


def on_error(error: Exception) -> BoltResponse:
    """Slack retries anything but a 2xx, so requests we do not handle are still acknowledged."""
    if isinstance(error, BoltUnhandledRequestError):
        body = error.body or {}
        kind = (body.get("event") or {}).get("type") or body.get("type")
        log.info("unhandled slack request kind=%s", kind)
        return BoltResponse(status=200, body="")
    log_failure("slack request", error)
    return BoltResponse(status=500, body="")
