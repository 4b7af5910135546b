"""settings, failed sign-ins and sign-in sessions

Revision ID: 0006
Revises: 0004 (re-point to the newest revision when merging)
Create Date: 2026-11-29 16:30:00

A database that already holds the demo (loaded by the "demo-loader" before this revision) is
marked as a demo database, so its "Demo data" banner tells the truth.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0006'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    settings = op.create_table(
        'settings',
        sa.Column('key', sa.String(length=100), nullable=False),
        sa.Column('value', sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint('key', name=op.f('pk_settings')),
    )
    op.create_table(
        'sign_in_failures',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('username', sa.String(length=200), nullable=False),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sign_in_failures')),
    )
    op.create_index(op.f('ix_sign_in_failures_username'), 'sign_in_failures', ['username'], unique=False)
    op.create_index(op.f('ix_sign_in_failures_at'), 'sign_in_failures', ['at'], unique=False)
    op.create_table(
        'sign_in_sessions',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('username', sa.String(length=200), nullable=False),
        sa.Column('started_at', sa.DateTime(), nullable=False),
        sa.Column('last_seen_at', sa.DateTime(), nullable=False),
        sa.Column('ended_at', sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sign_in_sessions')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_sign_in_sessions_token_hash')),
    )
    op.create_index(op.f('ix_sign_in_sessions_username'), 'sign_in_sessions', ['username'], unique=False)
    loaded = op.get_bind().execute(sa.text("SELECT 1 FROM audit_events WHERE actor = 'demo-loader' LIMIT 1")).first()
    if loaded is not None:
        op.bulk_insert(settings, [{'key': 'demo', 'value': 'yes'}])


def downgrade() -> None:
    op.drop_index(op.f('ix_sign_in_sessions_username'), table_name='sign_in_sessions')
    op.drop_table('sign_in_sessions')
    op.drop_index(op.f('ix_sign_in_failures_at'), table_name='sign_in_failures')
    op.drop_index(op.f('ix_sign_in_failures_username'), table_name='sign_in_failures')
    op.drop_table('sign_in_failures')
    op.drop_table('settings')
