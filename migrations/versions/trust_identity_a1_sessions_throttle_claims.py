"""trust-identity: user sessions, throttle buckets, pending registrations, graduate activation codes and pending claims

Revision ID: trust_identity_a1
Revises: f3982e2c817d
Create Date: 2026-11-30 05:50:00

"""
from alembic import op
import sqlalchemy as sa

import recruit.types

# revision identifiers, used by Alembic.
revision = 'trust_identity_a1'
down_revision = "2c44943b92dd"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('user_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('remember', sa.Boolean(), nullable=False),
    sa.Column('created_at', recruit.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', recruit.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', recruit.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('user_agent', sa.String(length=200), nullable=False),
    sa.Column('ip', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_sessions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_sessions')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_user_sessions_token_hash'))
    )
    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_sessions_expires_at'), ['expires_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_user_sessions_user_id'), ['user_id'], unique=False)

    op.create_table('throttle_buckets',
    sa.Column('key', sa.String(length=300), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('window_start', recruit.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_at', recruit.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('blocked_until', recruit.types.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_throttle_buckets'))
    )
    with op.batch_alter_table('throttle_buckets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_throttle_buckets_last_at'), ['last_at'], unique=False)

    op.create_table('pending_registrations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('created_at', recruit.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', recruit.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pending_registrations')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_pending_registrations_token_hash'))
    )
    with op.batch_alter_table('pending_registrations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pending_registrations_email'), ['email'], unique=False)
        batch_op.create_index(batch_op.f('ix_pending_registrations_expires_at'), ['expires_at'], unique=False)

    with op.batch_alter_table('graduates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('activation_code_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('activation_code_at', recruit.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('claimed_student_number', sa.String(length=32), nullable=True))


def downgrade():
    with op.batch_alter_table('graduates', schema=None) as batch_op:
        batch_op.drop_column('claimed_student_number')
        batch_op.drop_column('activation_code_at')
        batch_op.drop_column('activation_code_hash')
    with op.batch_alter_table('pending_registrations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pending_registrations_expires_at'))
        batch_op.drop_index(batch_op.f('ix_pending_registrations_email'))
    op.drop_table('pending_registrations')
    with op.batch_alter_table('throttle_buckets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_throttle_buckets_last_at'))
    op.drop_table('throttle_buckets')
    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_sessions_user_id'))
        batch_op.drop_index(batch_op.f('ix_user_sessions_expires_at'))
    op.drop_table('user_sessions')
