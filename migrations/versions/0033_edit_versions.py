"""edit versions: accounts, laboratory limits, market access rows and GACC categories carry a
version, so that an administrator's edit made on a page loaded before another's is refused
instead of silently replacing it (as applications, enterprises and establishments already are)

Revision ID: 3b8d6f2a9c41
Revises: 7c2e9b4d1a58
Create Date: 2026-12-06 10:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '3b8d6f2a9c41'
down_revision = '7c2e9b4d1a58'
branch_labels = None
depends_on = None

TABLES = ("user", "lab_limit", "market_access", "gacc_category")


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('version', sa.Integer(), nullable=False,
                                          server_default='1'))


def downgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('version')
