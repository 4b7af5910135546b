"""programmes: a funder's conditions for a stream and year that its funds inherit; proposed condition changes

Revision ID: 0015_programmes
Revises: 0013_funder
Create Date: 2026-11-29 22:00:00

- programmes: one funder's stream for one year (funder, code, year unique) and its conditions.
- funds.programme_id: the programme a fund inherits its conditions from (none: the fund's own).
- funds.condition_overrides: the fund's own values for some of its programme's conditions, each with its
  reason, who proposed it, who approved it and when.
- condition_changes: a manager's proposed change of a fund's conditions and the Strategic Group's decision.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0015_programmes'
down_revision = '0013_funder'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'programmes',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('funder_id', sa.Integer(), nullable=False),
        sa.Column('code', sa.String(length=40), nullable=False),
        sa.Column('year', sa.String(length=7), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('conditions', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['funder_id'], ['funders.id'], name=op.f('fk_programmes_funder_id_funders')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_programmes')),
        sa.UniqueConstraint('funder_id', 'code', 'year', name=op.f('uq_programmes_funder_id')),
    )
    with op.batch_alter_table('funds') as batch:
        batch.add_column(sa.Column('programme_id', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('condition_overrides', sa.JSON(), nullable=False, server_default='{}'))
        batch.create_foreign_key(op.f('fk_funds_programme_id_programmes'), 'programmes', ['programme_id'], ['id'])
        batch.create_index(op.f('ix_funds_programme_id'), ['programme_id'], unique=False)
    op.create_table(
        'condition_changes',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('fund_id', sa.Integer(), nullable=False),
        sa.Column('changes', sa.JSON(), nullable=False),
        sa.Column('inherit', sa.JSON(), nullable=False),
        sa.Column('override', sa.Boolean(), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('proposed_by', sa.String(length=200), nullable=False),
        sa.Column('proposed_on', sa.Date(), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('decided_by', sa.String(length=200), nullable=False),
        sa.Column('decided_on', sa.Date(), nullable=True),
        sa.Column('decision_reason', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['fund_id'], ['funds.id'], name=op.f('fk_condition_changes_fund_id_funds')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_condition_changes')),
    )
    op.create_index(op.f('ix_condition_changes_fund_id'), 'condition_changes', ['fund_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_condition_changes_fund_id'), table_name='condition_changes')
    op.drop_table('condition_changes')
    with op.batch_alter_table('funds') as batch:
        batch.drop_index(op.f('ix_funds_programme_id'))
        batch.drop_constraint(op.f('fk_funds_programme_id_programmes'), type_='foreignkey')
        batch.drop_column('condition_overrides')
        batch.drop_column('programme_id')
    op.drop_table('programmes')
