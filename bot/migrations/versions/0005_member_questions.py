"""Per-member question limits: when each account asked (account + time only, kept for a day).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "member_questions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("account", sa.Text, nullable=False),
        sa.Column("asked_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_member_questions_account", "member_questions", ["account"])
    op.create_index("ix_member_questions_asked_at", "member_questions", ["asked_at"])


def downgrade() -> None:
    op.drop_table("member_questions")
