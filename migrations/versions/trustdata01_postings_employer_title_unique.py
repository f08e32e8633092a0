"""postings: (employer_id, title) unique -- the natural key of the postings import; import_jobs

Two identical imports at once created every posting twice; the key now lives in the
database. Existing duplicates (an employer with two postings of one title) keep the oldest
posting's title; the others get their id appended: ``Java开发（#123）``.
``import_jobs``: large imports run in the background with progress and a result.

Revision ID: trustdata01
Revises: f3982e2c817d
Create Date: 2026-11-30 05:50:00

"""
from alembic import op
import sqlalchemy as sa

import recruit.types

# revision identifiers, used by Alembic.
revision = 'trustdata01'
down_revision = "admin_a1"
branch_labels = None
depends_on = None


def upgrade():
    op.execute(sa.text(
        "UPDATE postings SET title = substr(title, 1, 105) || '（#' || CAST(id AS VARCHAR(12)) || '）' "
        "WHERE id NOT IN (SELECT min(p.id) FROM postings p GROUP BY p.employer_id, p.title)"
    ))
    with op.batch_alter_table('postings', schema=None) as batch_op:
        batch_op.create_unique_constraint(batch_op.f('uq_postings_employer_title'), ['employer_id', 'title'])
    op.create_table('import_jobs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('university_id', sa.Integer(), nullable=True),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('done', sa.Integer(), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('rows', sa.Integer(), nullable=False),
    sa.Column('created', sa.Integer(), nullable=False),
    sa.Column('updated', sa.Integer(), nullable=False),
    sa.Column('unchanged', sa.Integer(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('errors', sa.JSON(), nullable=False),
    sa.Column('created_at', recruit.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('heartbeat_at', recruit.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('finished_at', recruit.types.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("kind IN ('graduates', 'postings')", name=op.f('ck_import_jobs_kind_valid')),
    sa.CheckConstraint("status IN ('queued', 'running', 'succeeded', 'failed')", name=op.f('ck_import_jobs_status_valid')),
    sa.ForeignKeyConstraint(['university_id'], ['universities.id'], name=op.f('fk_import_jobs_university_id_universities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_import_jobs_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_jobs'))
    )
    with op.batch_alter_table('import_jobs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_import_jobs_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('import_jobs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_import_jobs_user_id'))
    op.drop_table('import_jobs')
    with op.batch_alter_table('postings', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_postings_employer_title'), type_='unique')
