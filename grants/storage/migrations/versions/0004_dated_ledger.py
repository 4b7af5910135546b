"""dated ledger: line and profile states, virements as proposals

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 16:40:00

Lines and profile quarters get append-only dated states (``line_states``, ``profile_states``): "as at D" is
the latest state effective on or before D. Existing lines and quarters get no state and count as they stand.

Virements become proposals that move money only when approved. An approved virement keeps its effect. An
unapproved one had already moved its money under the old rule; it is turned back into a proposal and its
money is put back on the line it came from, so the ledger means what it says: the Strategic Group approves
it (and the money moves) or rejects it.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'line_states',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('line_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('effective_on', sa.Date(), nullable=False),
        sa.Column('recorded_at', sa.DateTime(), nullable=False),
        sa.Column('allocated', sa.BigInteger(), nullable=False),
        sa.Column('description', sa.String(length=500), nullable=False),
        sa.Column('delivery_partner', sa.String(length=200), nullable=False),
        sa.Column('approved_by', sa.String(length=200), nullable=False),
        sa.Column('approved_on', sa.Date(), nullable=True),
        sa.Column('removed', sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(['line_id'], ['budget_lines.id'], name=op.f('fk_line_states_line_id_budget_lines')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_line_states')),
    )
    op.create_index('ix_line_states_line_effective', 'line_states', ['line_id', 'effective_on'], unique=False)
    op.create_table(
        'profile_states',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('line_id', sa.Integer(), nullable=False),
        sa.Column('year', sa.String(length=7), nullable=False),
        sa.Column('quarter', sa.Integer(), nullable=False),
        sa.Column('effective_on', sa.Date(), nullable=False),
        sa.Column('recorded_at', sa.DateTime(), nullable=False),
        sa.Column('amount', sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(['line_id'], ['budget_lines.id'], name=op.f('fk_profile_states_line_id_budget_lines')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_profile_states')),
    )
    op.create_index('ix_profile_states_line_effective', 'profile_states', ['line_id', 'effective_on'], unique=False)
    with op.batch_alter_table('virements') as batch:
        batch.add_column(sa.Column('status', sa.String(length=10), nullable=False, server_default='proposed'))
        batch.add_column(sa.Column('proposed_by', sa.String(length=200), nullable=False, server_default=''))
        batch.add_column(sa.Column('decided_by', sa.String(length=200), nullable=False, server_default=''))
        batch.add_column(sa.Column('decided_on', sa.Date(), nullable=True))
        batch.add_column(sa.Column('decision_reason', sa.Text(), nullable=False, server_default=''))

    with op.batch_alter_table('budget_lines') as batch:
        batch.add_column(sa.Column('rejected_by', sa.String(length=200), nullable=False, server_default=''))
        batch.add_column(sa.Column('rejected_on', sa.Date(), nullable=True))
        batch.add_column(sa.Column('rejection_reason', sa.Text(), nullable=False, server_default=''))

    bind = op.get_bind()
    bind.execute(
        sa.text(
            "UPDATE virements SET status = 'approved', decided_by = approved_by, decided_on = approved_on "
            "WHERE approved_by <> '' AND approved_on IS NOT NULL"
        )
    )
    pending = bind.execute(
        sa.text("SELECT from_line_id, to_line_id, amount FROM virements WHERE status = 'proposed'")
    ).all()
    for from_line, to_line, amount in pending:
        bind.execute(
            sa.text("UPDATE budget_lines SET allocated = allocated + :amount, version = version + 1 WHERE id = :id"),
            {"amount": amount, "id": from_line},
        )
        bind.execute(
            sa.text("UPDATE budget_lines SET allocated = allocated - :amount, version = version + 1 WHERE id = :id"),
            {"amount": amount, "id": to_line},
        )


def downgrade() -> None:
    with op.batch_alter_table('budget_lines') as batch:
        for column in ('rejection_reason', 'rejected_on', 'rejected_by'):
            batch.drop_column(column)
    with op.batch_alter_table('virements') as batch:
        for column in ('decision_reason', 'decided_on', 'decided_by', 'proposed_by', 'status'):
            batch.drop_column(column)
    op.drop_index('ix_profile_states_line_effective', table_name='profile_states')
    op.drop_table('profile_states')
    op.drop_index('ix_line_states_line_effective', table_name='line_states')
    op.drop_table('line_states')
