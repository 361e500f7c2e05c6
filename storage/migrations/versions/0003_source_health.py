"""template health and outlets: source_state health columns, extraction_errors,
articles.origin_name and articles.outlet

Revision ID: 0003_source_health
Revises: 0002_event_ranges
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_source_health"
down_revision = "0002_event_ranges"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.add_column(sa.Column("origin_name", sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column("outlet", sa.String(length=300), nullable=True))
    with op.batch_alter_table("source_state", schema=None) as batch_op:
        batch_op.add_column(sa.Column("health", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("health_since", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("health_alerted_at", sa.DateTime(timezone=True), nullable=True)
        )
    op.create_table(
        "extraction_errors",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("source", sa.String(length=100), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("field", sa.String(length=32), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("extraction_errors", schema=None) as batch_op:
        batch_op.create_index("ix_extraction_errors_source_at", ["source", "created_at"])


def downgrade() -> None:
    with op.batch_alter_table("extraction_errors", schema=None) as batch_op:
        batch_op.drop_index("ix_extraction_errors_source_at")
    op.drop_table("extraction_errors")
    with op.batch_alter_table("source_state", schema=None) as batch_op:
        batch_op.drop_column("health_alerted_at")
        batch_op.drop_column("health_since")
        batch_op.drop_column("health")
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.drop_column("outlet")
        batch_op.drop_column("origin_name")
