"""the funder's side: funder accounts, funding chains, the funder's review of returns

Revision ID: 0013_funder
Revises: 0012_meeting
Create Date: 2026-11-29 21:45:00

- users.funder_id: an account of a funder (the OPCC's commissioning officer) works for that funder and sees
  the partnerships it funds.
- funders.parent_id: the funder the money came from (Home Office -> OPCC), chains of any depth.
- returns.review: the funder's word on the version in force (accepted / queried; empty until reviewed).
- return_reviews: the exchange about a submitted return (accepted, queried, replied), who and when.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0013_funder'
down_revision = '0012_meeting'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('funders') as batch:
        batch.add_column(sa.Column('parent_id', sa.Integer(), nullable=True))
        batch.create_foreign_key(op.f('fk_funders_parent_id_funders'), 'funders', ['parent_id'], ['id'])
    with op.batch_alter_table('users') as batch:
        batch.add_column(sa.Column('funder_id', sa.Integer(), nullable=True))
        batch.create_foreign_key(op.f('fk_users_funder_id_funders'), 'funders', ['funder_id'], ['id'])
    with op.batch_alter_table('returns') as batch:
        batch.add_column(sa.Column('review', sa.String(length=10), nullable=False, server_default=''))
    op.create_table(
        'return_reviews',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('return_id', sa.Integer(), nullable=False),
        sa.Column('version_number', sa.Integer(), nullable=False),
        sa.Column('action', sa.String(length=10), nullable=False),
        sa.Column('comment', sa.Text(), nullable=False),
        sa.Column('by', sa.String(length=200), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['return_id'], ['returns.id'], name=op.f('fk_return_reviews_return_id_returns')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_return_reviews')),
    )
    op.create_index(op.f('ix_return_reviews_return_id'), 'return_reviews', ['return_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_return_reviews_return_id'), table_name='return_reviews')
    op.drop_table('return_reviews')
    with op.batch_alter_table('returns') as batch:
        batch.drop_column('review')
    with op.batch_alter_table('users') as batch:
        batch.drop_constraint(op.f('fk_users_funder_id_funders'), type_='foreignkey')
        batch.drop_column('funder_id')
    with op.batch_alter_table('funders') as batch:
        batch.drop_constraint(op.f('fk_funders_parent_id_funders'), type_='foreignkey')
        batch.drop_column('parent_id')
