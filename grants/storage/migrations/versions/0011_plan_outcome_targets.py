"""outcome targets: what a line aims to achieve and how it is measured (from an action plan)

Revision ID: 0011_plan
Revises: 0007_survival_data_versions
Create Date: 2026-11-29 18:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0011_plan'
down_revision = '0007_survival_data_versions'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'outcome_targets',
        sa.Column('line_id', sa.Integer(), nullable=False),
        sa.Column('target', sa.Text(), nullable=False),
        sa.Column('measure', sa.Text(), nullable=False),
        sa.Column('time_scales', sa.String(length=200), nullable=False),
        sa.Column('source', sa.String(length=500), nullable=False),
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ['line_id'], ['budget_lines.id'], name=op.f('fk_outcome_targets_line_id_budget_lines')
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_outcome_targets')),
    )
    op.create_index(op.f('ix_outcome_targets_line_id'), 'outcome_targets', ['line_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_outcome_targets_line_id'), table_name='outcome_targets')
    op.drop_table('outcome_targets')
