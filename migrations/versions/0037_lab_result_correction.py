"""lab result correction: why a result was added where its parameter had one already (a
retest, a corrected entry); the newer result replaces the older in the verdict

Revision ID: 7c3a9e1b4d58
Revises: 5d1e8b3f7a20
Create Date: 2026-12-07 11:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '7c3a9e1b4d58'
down_revision = '5d1e8b3f7a20'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('lab_result', schema=None) as batch_op:
        batch_op.add_column(sa.Column('correction', sa.Text(), nullable=False,
                                      server_default=''))


def downgrade():
    with op.batch_alter_table('lab_result', schema=None) as batch_op:
        batch_op.drop_column('correction')
