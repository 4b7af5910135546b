"""per-fund data versions

Revision ID: 0007_survival_data_versions
Revises: 0006 (re-point to the newest revision when merging)
Create Date: 2026-11-29 19:00:00

One row per fund (and row 0 for everything not about one fund), bumped in the same transaction as
every committed write; the app's caches are keyed on them. Every row starts at the newest audit event's
id (a value no cache can have seen for a different state, even when this runs after a restore).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0007_survival_data_versions'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'data_versions',
        sa.Column('fund_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('version', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('fund_id', name=op.f('pk_data_versions')),
    )
    # An empty database gets no rows (a missing row is version 0), so a restore can copy a backup's rows in.
    op.execute("INSERT INTO data_versions (fund_id, version) SELECT 0, MAX(id) FROM audit_events HAVING COUNT(*) > 0")
    newest = "COALESCE((SELECT MAX(id) FROM audit_events), 0)"  # funds with no audit event yet: version 0
    op.execute(f"INSERT INTO data_versions (fund_id, version) SELECT id, {newest} FROM funds")


def downgrade() -> None:
    op.drop_table('data_versions')
