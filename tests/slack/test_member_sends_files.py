"""A member who sends a file, a shared message or any other message with content is never left in
silence: the bot says it cannot read attachments and what to do instead, and answers any words."""

from __future__ import annotations

import pytest
from slack_world import CHANNEL, MEMBER, OFFICER, OFFICERS, REP, SlackWorld
from test_member_gets_answer_in_thread import QUESTION, action_ids, texts

from bot.slack.fake_slack import BOT_USER

PDF = {"id": "F01", "name": "contract.pdf", "title": "contract.pdf", "mimetype": "application/pdf"}
FILE_SHARE = {"subtype": "file_share", "files": [PDF], "upload": False}


def test_a_pdf_with_no_words_gets_a_reply_saying_it_was_not_read_and_what_to_do(slack: SlackWorld) -> None:
    ts = slack.dm(MEMBER, "", fields=FILE_SHARE)

    reply = slack.answer_in("D" + MEMBER, ts)

    shown = texts(reply.params["blocks"])
    assert "can't read attachments" in shown and "contract.pdf" in shown
    assert "paste the relevant text" in shown and "Ask an officer" in shown
    assert action_ids(reply.params["blocks"]) == ["ask_officer"]
    assert slack.engine.questions == []  # nothing to ask it


def test_asking_for_an_officer_about_an_unread_file_reaches_the_officers(slack: SlackWorld) -> None:
    ts = slack.dm(MEMBER, "", fields=FILE_SHARE)
    reply = slack.answer_in("D" + MEMBER, ts)
    record_id = reply.params["blocks"][-1]["elements"][0]["value"]

    slack.click(MEMBER, "ask_officer", record_id, "D" + MEMBER, reply.response["ts"], thread_ts=ts)

    card = slack.card()
    assert "contract.pdf" in texts(card.params["blocks"])


def test_words_with_a_file_are_answered_and_the_answer_says_the_file_was_not_read(slack: SlackWorld) -> None:
    ts = slack.dm(MEMBER, QUESTION, fields=FILE_SHARE)

    answer = slack.answer_in("D" + MEMBER, ts)

    shown = texts(answer.params["blocks"])
    assert "not a fair reason on its own" in shown
    assert "I have not read _contract.pdf_" in shown
    assert slack.engine.questions[0].text == QUESTION


@pytest.mark.parametrize(
    ("text", "fields", "expected"),
    [
        pytest.param("", {"files": [PDF]}, "contract.pdf", id="files without a subtype"),
        pytest.param(
            "",
            {"attachments": [{"is_share": True, "text": "forwarded", "fallback": "forwarded"}]},
            "a shared message",
            id="a shared message",
        ),
        pytest.param(
            "",
            {"subtype": "file_share", "files": [{"id": "F2", "title": "payslip.png"}]},
            "payslip.png",
            id="an image with only a title",
        ),
        pytest.param(QUESTION, {"subtype": "me_message"}, "not a fair reason", id="/me"),
    ],
)
def test_every_message_a_member_can_send_gets_a_reply(
    slack: SlackWorld, text: str, fields: dict, expected: str
) -> None:
    ts = slack.dm(MEMBER, text, fields=fields)

    assert expected in texts(slack.answer_in("D" + MEMBER, ts).params["blocks"])


def test_a_thread_reply_also_sent_to_the_conversation_is_answered(slack: SlackWorld) -> None:
    root = slack.dm(MEMBER, QUESTION)
    slack.answer_in("D" + MEMBER, root)

    slack.dm(
        MEMBER, "And if I have been there 3 years?", thread_ts=root, fields={"subtype": "thread_broadcast"}
    )

    slack.answer_in("D" + MEMBER, root, count=2)
    assert slack.engine.questions[-1].text == "And if I have been there 3 years?"


@pytest.mark.parametrize(
    "fields",
    [
        {"subtype": "bot_message", "bot_id": "BOTHER"},
        {"subtype": "message_changed", "message": {"text": "edited"}},
        {"subtype": "message_deleted"},
        {"subtype": "channel_join"},
        {"subtype": "assistant_app_thread"},
    ],
    ids=lambda fields: fields["subtype"],
)
def test_slacks_own_notices_and_bots_are_still_not_answered(slack: SlackWorld, fields: dict) -> None:
    slack.dm(MEMBER, "something", fields=fields)
    ts = slack.dm(MEMBER, QUESTION)  # a real question after it, to know the first was passed over

    slack.answer_in("D" + MEMBER, ts)

    assert [q.text for q in slack.engine.questions] == [QUESTION]
    assert len(slack.api.calls_to("chat.postMessage")) == 1


def test_a_file_added_to_an_escalated_thread_is_named_to_the_officer_and_the_member_told(
    slack: SlackWorld,
) -> None:
    root = slack.mention(MEMBER, "They want to dismiss me on Friday")
    slack.card()

    slack.say_in_thread(MEMBER, root, "", fields=FILE_SHARE)

    added = slack.api.wait_for("chat.postMessage", lambda p: p["channel"] == OFFICERS, count=2)[1]
    assert "contract.pdf" in texts(added.params["blocks"])
    told = slack.api.wait_for(
        "chat.postMessage", lambda p: p["channel"] == CHANNEL and "added this" in p["text"]
    )
    assert "contract.pdf" in told[0].params["text"]


def test_a_mention_with_only_a_file_gets_the_same_reply(slack: SlackWorld) -> None:
    said = f"<@{BOT_USER}>"
    ts = slack.api.add_message(CHANNEL, MEMBER, said)
    event = {
        "type": "app_mention",
        "channel": CHANNEL,
        "user": MEMBER,
        "text": said,
        "ts": ts,
        "files": [PDF],
    }

    slack.sender.event(event)

    assert "contract.pdf" in texts(slack.answer_in(CHANNEL, ts).params["blocks"])


def test_an_officers_attachment_is_not_dropped_in_silence(slack: SlackWorld) -> None:
    slack.mention(MEMBER, "They want to dismiss me on Friday")
    card = slack.card()

    slack.reply_in_card_thread(OFFICER, card.response["ts"], "", fields=FILE_SHARE)

    told = slack.api.wait_for("chat.postEphemeral", lambda p: p["user"] == OFFICER)[0]
    assert "contract.pdf" in told.params["text"] and "not sent to the member" in told.params["text"]
    assert (
        slack.api.calls_to(
            "chat.postMessage",
            lambda p: p["channel"] == CHANNEL and "blocks" in p and "national officer ·" in str(p["blocks"]),
        )
        == []
    )


def test_an_escalated_question_with_a_file_tells_the_officers_it_was_not_read(slack: SlackWorld) -> None:
    slack.dm(MEMBER, "They want to dismiss me on Friday, see the letter", fields=FILE_SHARE)

    card = slack.card()

    assert "Attached, not read by the bot: contract.pdf" in texts(card.params["blocks"])
    assert slack.engine.questions[0].text == "They want to dismiss me on Friday, see the letter"


def test_a_non_officers_file_in_a_card_thread_is_told_it_stayed_here(slack: SlackWorld) -> None:
    slack.mention(MEMBER, "They want to dismiss me on Friday")
    card = slack.card()

    slack.reply_in_card_thread(REP, card.response["ts"], "", fields=FILE_SHARE)

    told = slack.api.wait_for("chat.postEphemeral", lambda p: p["user"] == REP)[0]
    assert "Only national officers' replies are sent to the member" in told.params["text"]


def test_officers_sharing_a_file_among_themselves_outside_a_card_get_no_note(slack: SlackWorld) -> None:
    root = slack.api.add_message(OFFICERS, OFFICER, "Anyone seen this policy?")
    slack.reply_in_card_thread(OFFICER, root, "", fields=FILE_SHARE)
    slack.mention(
        MEMBER, "They want to dismiss me on Friday"
    )  # a later event, to know the file's was handled

    card = slack.card()
    slack.reply_in_card_thread(OFFICER, card.response["ts"], "", fields=FILE_SHARE)

    slack.api.wait_for("chat.postEphemeral", lambda p: p["thread_ts"] == card.response["ts"])
    told = slack.api.calls_to("chat.postEphemeral", lambda p: p["user"] == OFFICER)
    assert [call.params["thread_ts"] for call in told] == [card.response["ts"]]
