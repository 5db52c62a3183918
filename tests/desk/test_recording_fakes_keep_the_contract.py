"""The recording fakes the desk's tests use behave as the contract says real channels do."""

from __future__ import annotations

import pytest
from desk_contracts import MemberChannelContract, OfficerBoardContract

from bot.address import ConversationAddress
from bot.desk.fakes import RecordingBoard, RecordingMemberChannel


class TestRecordingBoard(OfficerBoardContract):
    @pytest.fixture
    def board(self) -> RecordingBoard:
        return RecordingBoard()

    def shown(self, board: RecordingBoard, card_id: str) -> str:  # type: ignore[override]
        shown = board.cards[card_id]
        return f"{shown.reference} {shown.status} {shown.claimed_by}"

    def added(self, board: RecordingBoard) -> list[str]:  # type: ignore[override]
        return [text for _, text, _ in board.added]

    def refuse_next_post(self, board: RecordingBoard, retry_after: int) -> None:  # type: ignore[override]
        board.refuse, board.retry_after = 1, retry_after


class TestRecordingMemberChannel(MemberChannelContract):
    @pytest.fixture
    def channel(self) -> RecordingMemberChannel:
        return RecordingMemberChannel()

    def said(self, channel: RecordingMemberChannel, address: ConversationAddress) -> list[str]:  # type: ignore[override]
        return [told.text for told in channel.told if told.address == address]

    def refuse_next_tell(self, channel: RecordingMemberChannel) -> None:  # type: ignore[override]
        channel.refuse = 1
