"""The one Slack WebClient, built once in bot/wiring.py and shared by the app and the desk's adapters."""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot.desk.ports import DeliveryError
from bot.settings import SlackSettings
from bot.slack.privacy import quiet_logger


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


def delivery_error(error: SlackApiError) -> DeliveryError:
    """Slack's refusal as the desk's: its error code (or HTTP status) and Retry-After on a 429."""
    reason = error.response.get("error") or f"http {error.response.status_code}"
    return DeliveryError(str(reason), retry_after(error))


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
