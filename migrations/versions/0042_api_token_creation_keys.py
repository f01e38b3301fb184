"""api token creation keys: the one-time key of the form that created an API token (unique per
person, as the creation keys of 0040), so that the form sent twice (a double click, the
browser's Back button and the form sent again) creates one token, not a second live one

Revision ID: 5a8d2c6e9f13
Revises: 7c3e9a1f5b20
Create Date: 2026-12-06 20:50:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '5a8d2c6e9f13'
down_revision = '7c3e9a1f5b20'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.add_column(sa.Column('creation_key', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_api_token_user_id'),
                                          ['user_id', 'creation_key'])


def downgrade():
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_api_token_user_id'), type_='unique')
        batch_op.drop_column('creation_key')
