"""programmes: a funder's conditions for a stream and year that its funds inherit; proposed condition changes

Revision ID: 0015_programmes
Revises: 0014_received
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
down_revision = '0014_received'
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
    # Not a batch copy of funds on SQLite: the rows of other tables that refer to funds would stop its DROP.
    # SQLite adds the column with its reference inline; PostgreSQL adds the named constraint after.
    if op.get_bind().dialect.name == 'sqlite':
        op.add_column(
            'funds',
            sa.Column('programme_id', sa.Integer(), sa.ForeignKey('programmes.id'), nullable=True),
            inline_references=True,
        )
    else:
        op.add_column('funds', sa.Column('programme_id', sa.Integer(), nullable=True))
        op.create_foreign_key(
            op.f('fk_funds_programme_id_programmes'), 'funds', 'programmes', ['programme_id'], ['id']
        )
    op.add_column('funds', sa.Column('condition_overrides', sa.JSON(), nullable=False, server_default='{}'))
    op.create_index(op.f('ix_funds_programme_id'), 'funds', ['programme_id'], unique=False)
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
    op.drop_index(op.f('ix_funds_programme_id'), table_name='funds')
    if op.get_bind().dialect.name == 'sqlite':  # SQLite drops no column that holds a reference: a batch copy
        with op.batch_alter_table('funds') as batch:
            batch.drop_column('condition_overrides')
            batch.drop_column('programme_id')
    else:
        op.drop_constraint(op.f('fk_funds_programme_id_programmes'), 'funds', type_='foreignkey')
        op.drop_column('funds', 'condition_overrides')
        op.drop_column('funds', 'programme_id')
    op.drop_table('programmes')
