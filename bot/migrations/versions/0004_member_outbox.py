"""Durable delivery to members, and cards that are found again instead of posted twice.

- outbox: one row per member message, purpose and page, with its rendered payload (cleared once
  delivered) and the same delivery state as cards (bot/outbox.py).
- cards.attempt_started_at: when a post began whose outcome is unknown, so the next deliverer looks
  for the card on its board before posting it again.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cards") as table:
        table.add_column(sa.Column("attempt_started_at", sa.DateTime, nullable=True))
    create_outbox()


def create_outbox() -> None:
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("conversation_id", sa.Text, nullable=False),
        sa.Column("thread_id", sa.Text, nullable=True),
        sa.Column("user_id", sa.String(255), nullable=False),
        sa.Column("tenant_or_team", sa.String(255), nullable=True),
        sa.Column("service_url", sa.Text, nullable=True),
        sa.Column("reference_json", sa.Text, nullable=True),
        sa.Column("message_id", sa.Text, nullable=True),
        sa.Column("purpose", sa.String(16), nullable=False),
        sa.Column("page", sa.Integer, nullable=False),
        sa.Column("payload_json", sa.Text, nullable=True),
        sa.Column("question", sa.Text, nullable=True),
        sa.Column("answer_id", sa.Integer, nullable=True),
        sa.Column("external", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("delivery_state", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("next_attempt_at", sa.DateTime, nullable=False),
        sa.Column("attempt_started_at", sa.DateTime, nullable=True),
        sa.Column("last_error", sa.String(200), nullable=True),
        sa.Column("sent_id", sa.Text, nullable=True),
        sa.UniqueConstraint(
            "platform", "conversation_id", "message_id", "purpose", "page", name="uq_outbox_message_page"
        ),
    )
    op.create_index("ix_outbox_due", "outbox", ["delivery_state", "next_attempt_at"])
    op.create_index("ix_outbox_created_at", "outbox", ["created_at"])


def downgrade() -> None:
    op.drop_table("outbox")
    with op.batch_alter_table("cards") as table:
        table.drop_column("attempt_started_at")
