"""Slack's conventions for AI apps (docs.slack.dev/ai): suggested prompts when a member opens the
bot's DM, and a loading status while the bot works.

Slack has two messaging experiences for AI apps. The agent one (manifest `agent_view`, the default
since mid-2026): the DM is the app's Messages tab; opening it sends `app_home_opened` with tab
"messages", and prompts are set on the channel without a thread_ts (with one the call silently does
nothing). The legacy assistant one (`assistant_view`): opening the app sends
`assistant_thread_started`, which Bolt's `Assistant` middleware handles, and prompts are set on that
thread. Workspaces with neither keep the plain DM and @mention flow, where the bot shows an
hourglass reaction instead of a status.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from slack_bolt import App
from slack_bolt.middleware.assistant import Assistant
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.slack.model import Asked
from bot.slack.privacy import guarded, quiet_logger

log = logging.getLogger("rightsbot.slack.assistant")

PROMPTS_TITLE = "Ask me about your rights at work"
PROMPTS = [  # at most four; each is answered from MiP's own factsheets
    {
        "title": "Fixed-term and redundancy",
        "message": "I'm on a fixed-term contract. Can they make me redundant first?",
    },
    {"title": "Tribunal time limits", "message": "How long do I have to make an employment tribunal claim?"},
    {"title": "Flexible working", "message": "Can I ask to work flexibly, and can my employer refuse?"},
    {"title": "Talk to a person", "message": "I'd like to speak to a national officer."},
]
STATUS = "is checking MiP's guidance…"
LOADING_MESSAGES = ["Reading MiP's factsheets…", "Checking Legal Eye articles…", "Gathering the sources…"]
WORKING = "hourglass_flowing_sand"  # the reaction where Slack shows no status


def register(app: App) -> None:
    """Before home.py's listener: Bolt runs the first listener that matches an event."""
    app.event("app_home_opened", matchers=[opened_messages_tab])(ack=acknowledge, lazy=[suggest_in_dm])
    assistant = Assistant(logger=quiet_logger("rightsbot.slack.assistant.bolt"))
    assistant.thread_started(lazy=[suggest_in_thread])(acknowledge)
    # Which channel the member is looking at is not used, and Bolt's default would store it with
    # extra Slack calls on every switch: acknowledge and do nothing.
    assistant.thread_context_changed(acknowledge)
    app.use(assistant)


def acknowledge() -> None:
    """Bolt acknowledges these events itself once this returns; the work is lazy."""


def opened_messages_tab(event: dict[str, Any]) -> bool:
    return event.get("tab") == "messages"


@guarded("suggested prompts")
def suggest_in_dm(event: dict[str, Any], client: WebClient) -> None:
    """Every opening of the Messages tab; an app without agent_view is refused, which is expected."""
    try:
        client.assistant_threads_setSuggestedPrompts(
            channel_id=event["channel"], title=PROMPTS_TITLE, prompts=PROMPTS
        )
    except SlackApiError as error:
        log.info("no suggested prompts error=%s", error.response.get("error"))


@guarded("suggested prompts in thread")
def suggest_in_thread(set_suggested_prompts: Callable[..., Any]) -> None:
    set_suggested_prompts(prompts=PROMPTS, title=PROMPTS_TITLE)


@contextmanager
def working_on(client: WebClient, asked: Asked) -> Iterator[None]:
    """A loading status in a DM thread while the bot works, else (channels, workspaces that refuse
    the status) an hourglass reaction on the member's message. Cosmetic: failures never escape."""
    with_status = asked.is_dm and set_status(client, asked, STATUS, LOADING_MESSAGES)
    if not with_status:
        react(client.reactions_add, asked)
    try:
        yield
    finally:
        if with_status:
            set_status(client, asked, "")  # Slack clears it when we reply; this covers no reply
        else:
            react(client.reactions_remove, asked)


def set_status(client: WebClient, asked: Asked, status: str, loading: list[str] | None = None) -> bool:
    """assistant.threads.setStatus on the member's thread; False where Slack refuses it."""
    try:
        client.assistant_threads_setStatus(
            channel_id=asked.channel, thread_ts=asked.thread_ts, status=status, loading_messages=loading
        )
        return True
    except SlackApiError as error:
        log.info("no loading status error=%s", error.response.get("error"))
        return False
    except Exception as error:
        log.warning("loading status failed error=%s", type(error).__name__)
        return False


def react(call: Any, asked: Asked) -> None:
    try:
        call(channel=asked.channel, timestamp=asked.ts, name=WORKING)
    except Exception as error:
        log.warning("reaction failed error=%s", type(error).__name__)
