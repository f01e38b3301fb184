"""protocol date precision: how much of a protocol's date is known (day, month or year)

Sources often give only the year a protocol was signed; its date was stored as 1 January and
shown as that day. The reference loader (flask load-reference) sets the precision from
market_access.csv, which now writes "2019" or "2015-09" for such dates; until then, and for
rows an administrator entered, the date counts as known to the day, as before.

Revision ID: 5f1c8d3a7b20
Revises: 9a4c7e2b5d13
Create Date: 2026-12-05 10:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '5f1c8d3a7b20'
down_revision = '9a4c7e2b5d13'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('market_access', schema=None) as batch_op:
        batch_op.add_column(sa.Column('protocol_date_precision', sa.String(length=5),
                                      nullable=False, server_default='day'))


def downgrade():
    with op.batch_alter_table('market_access', schema=None) as batch_op:
        batch_op.drop_column('protocol_date_precision')
