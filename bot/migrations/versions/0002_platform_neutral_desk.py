"""Platform-neutral storage for the officers' desk, with every row kept.

- escalations: the member's conversation becomes an address on a platform (platform, conversation_id,
  thread_id, user_id, tenant_or_team, service_url, reference_json, message_id), ids unbounded;
  officers are kept by officer id (`slack:U123` for the Slack user ids stored so far); an `external`
  flag for conversations people from other organisations can see.
- cards: one row per escalation per officers' board, carrying the delivery state that used to sit
  on the escalation (card_channel/card_ts/delivery_* move here as board "slack").
- channel_dedupe (platform, key) replaces slack_seen_events (`event:<event_id>` keys).
- answer_records: the same address columns; feedback: wider user and answer_ref.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

PERSON = sa.String(255)
SHORT = sa.String(32)


def upgrade() -> None:
    create_cards()
    convert_escalations()
    convert_audit()
    convert_seen_events()
    convert_answer_records()
    with op.batch_alter_table("feedback") as table:
        table.alter_column("user", type_=PERSON, existing_type=SHORT, existing_nullable=False)
        table.alter_column("answer_ref", type_=PERSON, existing_type=sa.String(64), existing_nullable=True)


def create_cards() -> None:
    """The card each escalation had on Slack, delivered or not, before its columns go."""
    op.create_table(
        "cards",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "escalation_id", sa.Integer, sa.ForeignKey("escalations.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("board", sa.String(16), nullable=False),
        sa.Column("channel", sa.Text, nullable=True),
        sa.Column("card_id", sa.Text, nullable=True),
        sa.Column("delivery_state", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("next_attempt_at", sa.DateTime, nullable=False),
        sa.Column("last_error", sa.String(200), nullable=True),
        sa.UniqueConstraint("escalation_id", "board", name="uq_cards_escalation_board"),
    )
    op.create_index("ix_cards_escalation_id", "cards", ["escalation_id"])
    op.create_index("ix_cards_delivery_state", "cards", ["delivery_state"])
    op.create_index("ix_cards_board_card", "cards", ["board", "card_id"])
    op.execute(
        "INSERT INTO cards (escalation_id, board, channel, card_id, delivery_state, attempts, "
        "next_attempt_at, last_error) SELECT id, 'slack', card_channel, card_ts, delivery_state, "
        "delivery_attempts, next_attempt_at, last_error FROM escalations"
    )


def convert_escalations() -> None:
    with op.batch_alter_table("escalations", table_kwargs={"sqlite_autoincrement": True}) as table:
        for index in (
            "ix_escalations_question_ts",
            "ix_escalations_card_ts",
            "ix_escalations_delivery_state",
        ):
            table.drop_index(index)
        for column in (
            "card_channel",
            "card_ts",
            "delivery_state",
            "delivery_attempts",
            "next_attempt_at",
            "last_error",
        ):
            table.drop_column(column)
        rename(table, "member_user", "user_id", PERSON, nullable=False)
        rename(table, "channel", "conversation_id", sa.Text(), nullable=False)
        rename(table, "thread_ts", "thread_id", sa.Text(), nullable=True)
        rename(table, "question_ts", "message_id", sa.Text(), nullable=True)
        for column in ("claimed_by", "resolved_by"):
            table.alter_column(column, type_=PERSON, existing_type=SHORT, existing_nullable=True)
        table.add_column(sa.Column("platform", sa.String(16), nullable=False, server_default="slack"))
        table.add_column(sa.Column("tenant_or_team", PERSON, nullable=True))
        table.add_column(sa.Column("service_url", sa.Text, nullable=True))
        table.add_column(sa.Column("reference_json", sa.Text, nullable=True))
        table.add_column(sa.Column("external", sa.Boolean, nullable=False, server_default=sa.false()))
    op.create_index("ix_escalations_conversation", "escalations", ["platform", "conversation_id"])
    # A slash command's escalation had "" until its DM thread existed: no thread is NULL now.
    op.execute("UPDATE escalations SET thread_id = NULL WHERE thread_id = ''")
    op.execute("UPDATE escalations SET message_id = NULL WHERE message_id = ''")
    for column in ("claimed_by", "resolved_by"):
        op.execute(f"UPDATE escalations SET {column} = 'slack:' || {column} WHERE {column} IS NOT NULL")


def convert_audit() -> None:
    with op.batch_alter_table("escalation_audit") as table:
        table.alter_column("actor", type_=PERSON, existing_type=SHORT, existing_nullable=False)
    op.execute("UPDATE escalation_audit SET actor = 'slack:' || actor WHERE actor <> 'rightsbot'")


def convert_seen_events() -> None:
    op.create_table(
        "channel_dedupe",
        sa.Column("platform", sa.String(16), primary_key=True),
        sa.Column("key", sa.Text, primary_key=True),
        sa.Column("seen_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_channel_dedupe_seen_at", "channel_dedupe", ["seen_at"])
    op.execute(
        "INSERT INTO channel_dedupe (platform, key, seen_at) "
        "SELECT 'slack', 'event:' || event_id, seen_at FROM slack_seen_events"
    )
    op.drop_table("slack_seen_events")


def convert_answer_records() -> None:
    with op.batch_alter_table("answer_records") as table:
        rename(table, "asker", "user_id", PERSON, nullable=False)
        rename(table, "channel", "conversation_id", sa.Text(), nullable=False)
        rename(table, "thread_ts", "thread_id", sa.Text(), nullable=True)
        rename(table, "question_ts", "message_id", sa.Text(), nullable=True)
        table.add_column(sa.Column("platform", sa.String(16), nullable=False, server_default="slack"))
        table.add_column(sa.Column("tenant_or_team", PERSON, nullable=True))
        table.add_column(sa.Column("service_url", sa.Text, nullable=True))
        table.add_column(sa.Column("reference_json", sa.Text, nullable=True))
    op.execute("UPDATE answer_records SET thread_id = NULL WHERE thread_id = ''")
    op.execute("UPDATE answer_records SET message_id = NULL WHERE message_id = ''")


def rename(table, old: str, new: str, type_: sa.types.TypeEngine, *, nullable: bool) -> None:  # type: ignore[no-untyped-def]
    table.alter_column(
        old, new_column_name=new, type_=type_, existing_type=SHORT, nullable=nullable, existing_nullable=False
    )


def downgrade() -> None:
    raise NotImplementedError("rightsbot does not migrate down: restore the backup taken before upgrading")
