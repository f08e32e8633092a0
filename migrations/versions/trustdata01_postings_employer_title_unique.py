"""postings: (employer_id, title) unique -- the natural key of the postings import

Two identical imports at once created every posting twice; the key now lives in the
database. Existing duplicates (an employer with two postings of one title) keep the oldest
posting's title; the others get their id appended: ``Java开发（#123）``.

Revision ID: trustdata01
Revises: f3982e2c817d
Create Date: 2026-11-30 05:50:00

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = 'trustdata01'
down_revision = 'f3982e2c817d'
branch_labels = None
depends_on = None


def upgrade():
    op.execute(sa.text(
        "UPDATE postings SET title = substr(title, 1, 105) || '（#' || CAST(id AS VARCHAR(12)) || '）' "
        "WHERE id NOT IN (SELECT min(p.id) FROM postings p GROUP BY p.employer_id, p.title)"
    ))
    with op.batch_alter_table('postings', schema=None) as batch_op:
        batch_op.create_unique_constraint(batch_op.f('uq_postings_employer_title'), ['employer_id', 'title'])


def downgrade():
    with op.batch_alter_table('postings', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_postings_employer_title'), type_='unique')
