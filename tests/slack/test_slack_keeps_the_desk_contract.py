"""Slack's MemberChannel and OfficerBoard keep the desk's contract, against the fake Slack Web API."""

from __future__ import annotations

import pytest
from desk_contracts import MemberChannelContract, OfficerBoardContract
from slack_world import OFFICERS
from test_member_gets_answer_in_thread import texts

from bot.address import ConversationAddress
from bot.settings import Settings
from bot.slack.client import web_client
from bot.slack.fake_slack import FakeSlackApi
from bot.slack.member_channel import SlackMemberChannel
from bot.slack.officer_board import SlackOfficerBoard


def shown_in(api: FakeSlackApi, method: str, where) -> list[str]:  # noqa: ANN001
    return [
        texts(call.params.get("blocks") or []) + call.params["text"] for call in api.calls_to(method, where)
    ]


class TestSlackOfficerBoard(OfficerBoardContract):
    @pytest.fixture
    def board(self, settings: Settings) -> SlackOfficerBoard:
        return SlackOfficerBoard(web_client(settings.slack), OFFICERS)

    @pytest.fixture(autouse=True)
    def fake(self, api: FakeSlackApi) -> None:
        self.api = api

    def shown(self, board: SlackOfficerBoard, card_id: str) -> str:  # type: ignore[override]
        """The card as last drawn: its post (whose response carries its ts) or a later chat.update."""
        drawn = [
            call
            for call in self.api.calls
            if call.status == 200
            and (call.method, call.response.get("ts"))
            in (("chat.postMessage", card_id), ("chat.update", card_id))
        ]
        return texts(drawn[-1].params["blocks"])

    def added(self, board: SlackOfficerBoard) -> list[str]:  # type: ignore[override]
        return shown_in(self.api, "chat.postMessage", lambda p: "added" in p["text"])

    def refuse_next_post(self, board: SlackOfficerBoard, retry_after: int) -> None:  # type: ignore[override]
        self.api.fail_next(
            "chat.postMessage", 429, times=2, retry_after=retry_after
        )  # the client retries once


class TestSlackMemberChannel(MemberChannelContract):
    @pytest.fixture
    def channel(self, settings: Settings) -> SlackMemberChannel:
        return SlackMemberChannel(web_client(settings.slack))

    @pytest.fixture(autouse=True)
    def fake(self, api: FakeSlackApi) -> None:
        self.api = api

    def said(self, channel: SlackMemberChannel, address: ConversationAddress) -> list[str]:  # type: ignore[override]
        return shown_in(
            self.api,
            "chat.postMessage",
            lambda p: p["channel"] == address.conversation_id and p.get("thread_ts") == address.thread_id,
        )

    def refuse_next_tell(self, channel: SlackMemberChannel) -> None:  # type: ignore[override]
        self.api.fail_next("chat.postMessage", 500, times=2)

    def payload(self, text: str) -> dict:
        return {"text": text, "unfurl_links": False}

    def refuse_next_send_for_good(self, channel: SlackMemberChannel) -> None:  # type: ignore[override]
        self.api.refuse("chat.postMessage", "channel_not_found", times=1)
