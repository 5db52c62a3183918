"""The recording fakes the desk's tests use behave as the contract says real channels do."""

from __future__ import annotations

import pytest
from desk_contracts import MemberChannelContract, OfficerBoardContract

from bot.address import ConversationAddress
from bot.desk import DeliveryError
from bot.desk.fakes import RecordingBoard, RecordingMemberChannel


class TestRecordingBoard(OfficerBoardContract):
    @pytest.fixture
    def board(self) -> RecordingBoard:
        return RecordingBoard()

    def shown(self, board: RecordingBoard, card_id: str) -> str:  # type: ignore[override]
        shown = board.cards[card_id]
        return f"{shown.reference} {shown.status} {shown.claimed_by}"

    def added(self, board: RecordingBoard) -> list[str]:  # type: ignore[override]
        return [
            " ".join([text, *names])
            for (_, text, _), names in zip(board.added, board.attachments, strict=True)
        ]

    def refuse_next_post(self, board: RecordingBoard, retry_after: int) -> None:  # type: ignore[override]
        board.refuse, board.retry_after = 1, retry_after


class TestRecordingMemberChannel(MemberChannelContract):
    @pytest.fixture
    def channel(self) -> RecordingMemberChannel:
        return RecordingMemberChannel()

    def said(self, channel: RecordingMemberChannel, address: ConversationAddress) -> list[str]:  # type: ignore[override]
        told = [told.text for told in channel.told if told.address == address]
        return told + [sent.payload["text"] for sent in channel.sent if sent.address == address]

    def refuse_next_tell(self, channel: RecordingMemberChannel) -> None:  # type: ignore[override]
        channel.refuse = 1

    def payload(self, text: str) -> dict:
        return {"text": text}

    def refuse_next_send_for_good(self, channel: RecordingMemberChannel) -> None:  # type: ignore[override]
        channel.refuse, channel.refusal = 1, DeliveryError("channel_not_found", permanent=True)
