"""correction response: the exporter's answer to the inspection's correction requests, given
when resubmitting the application, kept with the requests it answers

Revision ID: 2f9b7c4e8a13
Revises: 8e4c1a7d2f65
Create Date: 2026-12-06 13:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '2f9b7c4e8a13'
down_revision = '8e4c1a7d2f65'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('correction_request', schema=None) as batch_op:
        batch_op.add_column(sa.Column('response', sa.Text(), nullable=False,
                                      server_default=''))


def downgrade():
    with op.batch_alter_table('correction_request', schema=None) as batch_op:
        batch_op.drop_column('response')
