"""notification messages: a notification keeps its untranslated message and arguments, so that
the page shows it in the language its reader has now

Notifications made before keep their text as it was written.

Revision ID: 9a4c7e2b5d13
Revises: 2e7b5c1d9f46
Create Date: 2026-12-05 08:30:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '9a4c7e2b5d13'
down_revision = '2e7b5c1d9f46'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.add_column(sa.Column('message_id', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('message_args', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_column('message_args')
        batch_op.drop_column('message_id')
