"""App Home: what the bot does and does not do, the privacy notice, and for officers the open queue."""

from __future__ import annotations

from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.slack import blocks
from bot.slack.blocks import Block
from bot.slack.deps import SlackDeps
from bot.slack.privacy import guarded

ABOUT = (
    "*MiP Rights Bot* answers questions about your rights at work from MiP's own guidance: our factsheets "
    "and the *Legal Eye* articles from _Healthcare Manager_. Every answer quotes and cites its sources."
)
HOW = (
    "*How to ask*\n• Send me a direct message, or @mention me in a channel: I answer in a thread, and "
    "follow-ups in that thread keep the context.\n• `/rights <question>` gives a rep a quick, private answer "
    "with its source and a button to share it.\n• Press *Ask an officer* under any answer to reach a "
    "national officer."
)
DOES_NOT = (
    "*What I do not do*\n• I do not give legal advice about your particular case.\n• I only know what is in "
    "MiP's guidance; I will say so when it does not cover your question.\n• I pass dismissal, disciplinary, "
    "discrimination, settlement and urgent questions to a national officer rather than settle them myself.\n"
    "• I only read channels where I am @mentioned."
)


def privacy_notice(answer_days: int, retention_days: int) -> str:
    return (
        "*Privacy*\nQuestions about your work can reveal special-category data (your health, beliefs, "
        "union membership). So:\n"
        f"• Each question and my answer are kept for {answer_days} days so that the buttons under it work, "
        "then deleted.\n"
        f"• If you rate an answer, the question, the answer and your rating are kept for up to "
        f"{retention_days} days to improve the bot.\n"
        "• If your question goes to an officer, it is shown to MiP's national officers in their private "
        f"channel, and kept with a log of who handled it for {retention_days} days after it is closed.\n"
        "• The bot's logs never contain what you wrote.\n"
        "• To see or delete what is held about you, email MemberAdvice@miphealth.org.uk."
    )


def register(app: App, deps: SlackDeps) -> None:
    home = Home(deps)
    app.event("app_home_opened")(ack=lambda ack: ack(), lazy=[home.publish])


class Home:
    def __init__(self, deps: SlackDeps) -> None:
        self.deps = deps

    @guarded("app home")
    def publish(self, event: dict[str, Any], client: WebClient) -> None:
        if event.get("tab", "home") != "home":
            return
        user = event["user"]
        client.views_publish(user_id=user, view={"type": "home", "blocks": self.view(user)})

    def view(self, user: str) -> list[Block]:
        view = [
            blocks.section(ABOUT),
            blocks.section(HOW),
            blocks.section(DOES_NOT),
            {"type": "divider"},
            blocks.section(privacy_notice(self.deps.answer_retention_days, self.deps.retention_days)),
        ]
        queue = self.deps.desk.queue_for(self.deps.person(user))
        if queue is not None:
            view += [{"type": "divider"}, *blocks.queue_blocks(queue)]
        return view[: blocks.MAX_BLOCKS * 2]  # a Home view may hold 100 blocks
