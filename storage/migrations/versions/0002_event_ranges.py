"""vague amounts as ranges on articles and events; withdrawn events

Revision ID: 0002_event_ranges
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_event_ranges"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("articles", "funding_events"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("amount_low", sa.Float(), nullable=True))
            batch.add_column(sa.Column("amount_high", sa.Float(), nullable=True))
    with op.batch_alter_table("funding_events") as batch:
        batch.add_column(sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("funding_events") as batch:
        batch.drop_column("withdrawn_at")
    for table in ("articles", "funding_events"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("amount_high")
            batch.drop_column("amount_low")
