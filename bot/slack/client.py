"""The one Slack WebClient, built once in bot/wiring.py and shared by the app and the desk's adapters."""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState

from bot.desk.ports import DeliveryError
from bot.settings import SlackSettings
from bot.slack.privacy import quiet_logger


class ServerErrorRetryExceptPosts(ServerErrorRetryHandler):
    """A 5xx is retried once within the request, except a post: Slack may have posted before it
    failed, so the desk retries posts itself, looking for the earlier one first (bot/slack/marks.py)."""

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if request.url.rstrip("/").endswith("/chat.postMessage"):
            return False
        return super()._can_retry(state=state, request=request, response=response, error=error)


def web_client(slack: SlackSettings) -> WebClient:
    """One client for everything; it retries a 429 (after Retry-After) once within the request, and a
    5xx once except on posts (see ServerErrorRetryExceptPosts)."""
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
            ServerErrorRetryExceptPosts(max_retry_count=1),
        ],
        **extra,  # type: ignore[arg-type]
    )


def secret(value: object) -> str | None:
    return value.get_secret_value() if value is not None else None  # type: ignore[attr-defined]


# Slack's refusals that no retry can change: the conversation is gone, or the bot is not in it.
PERMANENT = frozenset(
    {
        "channel_not_found",
        "not_in_channel",
        "is_archived",
        "cannot_reply_to_message",
        "restricted_action",
        "msg_too_long",
        "invalid_blocks",
        "no_text",
    }
)


def delivery_error(error: SlackApiError) -> DeliveryError:
    """Slack's refusal as the desk's: its error code (or HTTP status), Retry-After on a 429, whether
    it is for good, and whether Slack may have posted anyway (a 5xx)."""
    status = error.response.status_code
    reason = str(error.response.get("error") or f"http {status}")
    return DeliveryError(
        reason, retry_after(error), permanent=reason in PERMANENT, maybe_posted=status >= 500
    )


def retry_after(error: SlackApiError) -> float | None:
    """Slack's Retry-After header on a 429, in seconds."""
    headers = getattr(error.response, "headers", None) or {}
    for name, value in headers.items():
        if name.lower() == "retry-after":
            value = value[0] if isinstance(value, list) else value
            try:
                return float(value)
            except ValueError:
                return None
    return None
