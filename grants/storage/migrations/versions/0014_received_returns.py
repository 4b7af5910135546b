"""returns received from partnerships as packages

Revision ID: 0014_received
Revises: 0013_funder
Create Date: 2026-11-29 22:10:00

- received_returns: a partnership's submitted return received at the funder's installation as a package
  (``return receive FILE.zip``): the package's return.json and the PDF exactly as they came, with their
  SHA-256, who received it and when, and the funder's review of it. One row per partnership, fund code,
  year, period and version.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0014_received'
down_revision = '0013_funder'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'received_returns',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('partnership_id', sa.Integer(), nullable=False),
        sa.Column('funder_id', sa.Integer(), nullable=True),
        sa.Column('fund_code', sa.String(length=40), nullable=False),
        sa.Column('fund_name', sa.String(length=200), nullable=False),
        sa.Column('stream', sa.String(length=200), nullable=False),
        sa.Column('year', sa.String(length=7), nullable=False),
        sa.Column('period', sa.String(length=20), nullable=False),
        sa.Column('version_number', sa.Integer(), nullable=False),
        sa.Column('frozen', sa.JSON(), nullable=False),
        sa.Column('pdf', sa.LargeBinary(), nullable=True),
        sa.Column('pdf_sha256', sa.String(length=64), nullable=False),
        sa.Column('package_sha256', sa.String(length=64), nullable=False),
        sa.Column('received_at', sa.DateTime(), nullable=False),
        sa.Column('received_by', sa.String(length=200), nullable=False),
        sa.Column('review', sa.String(length=10), nullable=False),
        sa.Column('review_comment', sa.Text(), nullable=False),
        sa.Column('reviewed_by', sa.String(length=200), nullable=False),
        sa.Column('reviewed_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['funder_id'], ['funders.id'], name=op.f('fk_received_returns_funder_id_funders')),
        sa.ForeignKeyConstraint(
            ['partnership_id'], ['partnerships.id'], name=op.f('fk_received_returns_partnership_id_partnerships')
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_received_returns')),
        sa.UniqueConstraint(
            'partnership_id', 'fund_code', 'year', 'period', 'version_number',
            name=op.f('uq_received_returns_partnership_id'),
        ),
    )
    op.create_index(op.f('ix_received_returns_partnership_id'), 'received_returns', ['partnership_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_received_returns_partnership_id'), table_name='received_returns')
    op.drop_table('received_returns')
