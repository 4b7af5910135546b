"""returns workflow: draft words, sign-off, submitted versions, accepted findings, closed years, adjustments

Revision ID: 0010_returns
Revises: 0006 (re-point to the newest revision when merging)
Create Date: 2026-11-29 18:30:00

A return already submitted becomes version 1 in force (``version_number`` 1); its PDF is made from its
frozen figures the first time it is asked for, as before.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0010_returns'
down_revision = '0011_plan'
branch_labels = None
depends_on = None


def _versioned() -> list[sa.Column]:
    return [
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
    ]


def upgrade() -> None:
    with op.batch_alter_table('returns') as batch:
        batch.add_column(sa.Column('words', sa.JSON(), nullable=True))
        batch.add_column(sa.Column('signed_off_by', sa.String(length=200), nullable=False, server_default=''))
        batch.add_column(sa.Column('signed_off_name', sa.String(length=200), nullable=False, server_default=''))
        batch.add_column(sa.Column('signed_off_role', sa.String(length=100), nullable=False, server_default=''))
        batch.add_column(sa.Column('signed_off_on', sa.Date(), nullable=True))
        batch.add_column(sa.Column('signed_off_fingerprint', sa.String(length=64), nullable=False, server_default=''))
        batch.add_column(sa.Column('version_number', sa.Integer(), nullable=False, server_default='0'))
    op.execute("UPDATE returns SET version_number = 1 WHERE status = 'submitted'")
    op.create_table(
        'return_versions',
        *_versioned(),
        sa.Column('return_id', sa.Integer(), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('frozen', sa.JSON(), nullable=False),
        sa.Column('pdf', sa.LargeBinary(), nullable=True),
        sa.Column('pdf_sha256', sa.String(length=64), nullable=False),
        sa.Column('submitted_on', sa.Date(), nullable=False),
        sa.Column('submitted_by', sa.String(length=200), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['return_id'], ['returns.id'], name=op.f('fk_return_versions_return_id_returns')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_return_versions')),
        sa.UniqueConstraint('return_id', 'number', name=op.f('uq_return_versions_return_id')),
    )
    op.create_index(op.f('ix_return_versions_return_id'), 'return_versions', ['return_id'], unique=False)
    op.create_table(
        'finding_acceptances',
        *_versioned(),
        sa.Column('fund_id', sa.Integer(), nullable=False),
        sa.Column('code', sa.String(length=10), nullable=False),
        sa.Column('line', sa.String(length=500), nullable=False),
        sa.Column('message', sa.Text(), nullable=False),
        sa.Column('fingerprint', sa.String(length=64), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('review_on', sa.Date(), nullable=True),
        sa.Column('accepted_by', sa.String(length=200), nullable=False),
        sa.Column('accepted_name', sa.String(length=200), nullable=False),
        sa.Column('accepted_on', sa.Date(), nullable=False),
        sa.Column('withdrawn_by', sa.String(length=200), nullable=False),
        sa.Column('withdrawn_on', sa.Date(), nullable=True),
        sa.Column('withdraw_reason', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['fund_id'], ['funds.id'], name=op.f('fk_finding_acceptances_fund_id_funds')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_finding_acceptances')),
    )
    op.create_index(op.f('ix_finding_acceptances_fund_id'), 'finding_acceptances', ['fund_id'], unique=False)
    op.create_table(
        'closed_years',
        *_versioned(),
        sa.Column('partnership_id', sa.Integer(), nullable=False),
        sa.Column('year', sa.String(length=7), nullable=False),
        sa.Column('closed_by', sa.String(length=200), nullable=False),
        sa.Column('closed_on', sa.Date(), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('reopened_by', sa.String(length=200), nullable=False),
        sa.Column('reopened_on', sa.Date(), nullable=True),
        sa.Column('reopen_reason', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ['partnership_id'], ['partnerships.id'], name=op.f('fk_closed_years_partnership_id_partnerships')
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_closed_years')),
    )
    op.create_index(op.f('ix_closed_years_partnership_id'), 'closed_years', ['partnership_id'], unique=False)
    op.create_table(
        'ledger_adjustments',
        *_versioned(),
        sa.Column('fund_id', sa.Integer(), nullable=False),
        sa.Column('return_id', sa.Integer(), nullable=False),
        sa.Column('locked_period', sa.String(length=20), nullable=False),
        sa.Column('entity', sa.String(length=50), nullable=False),
        sa.Column('dated_on', sa.Date(), nullable=False),
        sa.Column('summary', sa.Text(), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('recorded_by', sa.String(length=200), nullable=False),
        sa.Column('recorded_on', sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(['fund_id'], ['funds.id'], name=op.f('fk_ledger_adjustments_fund_id_funds')),
        sa.ForeignKeyConstraint(['return_id'], ['returns.id'], name=op.f('fk_ledger_adjustments_return_id_returns')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_ledger_adjustments')),
    )
    op.create_index(op.f('ix_ledger_adjustments_fund_id'), 'ledger_adjustments', ['fund_id'], unique=False)
    op.create_index(op.f('ix_ledger_adjustments_return_id'), 'ledger_adjustments', ['return_id'], unique=False)


def downgrade() -> None:
    for table in ('ledger_adjustments', 'closed_years', 'finding_acceptances', 'return_versions'):
        op.drop_table(table)
    with op.batch_alter_table('returns') as batch:
        for column in (
            'version_number', 'signed_off_fingerprint', 'signed_off_on', 'signed_off_role', 'signed_off_name',
            'signed_off_by', 'words',
        ):
            batch.drop_column(column)
