"""laboratory categories: a laboratory's scope of accreditation names the product groups (GACC
categories) it tests as well as the parameters; a laboratory recorded before holds none, which
keeps its scope as it was (every product group)

Revision ID: 8d3f1b6a2c57
Revises: 5c2e9a7b4f18
Create Date: 2026-12-07 18:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '8d3f1b6a2c57'
down_revision = '5c2e9a7b4f18'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('laboratory', schema=None) as batch_op:
        batch_op.add_column(sa.Column('categories', sa.JSON(), server_default='[]',
                                      nullable=False))


def downgrade():
    with op.batch_alter_table('laboratory', schema=None) as batch_op:
        batch_op.drop_column('categories')
