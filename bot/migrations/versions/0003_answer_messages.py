"""Teams: which posted message is which answer, so Teams' feedback (which names our message by the
id the connector gave it) finds its question and answer.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "answer_messages",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("conversation_id", sa.Text, nullable=False),
        sa.Column("message_id", sa.Text, nullable=False),
        sa.Column(
            "answer_id", sa.Integer, sa.ForeignKey("answer_records.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_answer_messages_answer_id", "answer_messages", ["answer_id"])
    op.create_index(
        "ix_answer_messages_message", "answer_messages", ["platform", "conversation_id", "message_id"]
    )


def downgrade() -> None:
    op.drop_table("answer_messages")
