"""notifications.params: a notification is a kind code and its parameters, rendered in the reader's language

Revision ID: newuser01
Revises: f3982e2c817d
Create Date: 2026-11-30 05:50:00
"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = "newuser01"
down_revision = "trust_identity_a1"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.add_column(sa.Column("params", sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.drop_column("params")
