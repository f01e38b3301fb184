"""creation keys: the one-time key of the form that created an application's or a
consignment's draft (unique per person), an establishment (per enterprise) or a consignment's
lot (per consignment), so that the form sent twice (the browser's Back button and the form sent
again, a double click) creates one; a lot's creation time, which the second sending names

Revision ID: 2d8f5b7e1a94
Revises: 4e7a1c9d2b65
Create Date: 2026-12-06 18:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '2d8f5b7e1a94'
down_revision = '4e7a1c9d2b65'
branch_labels = None
depends_on = None

# Each table and the column that scopes its key (the first of its unique constraint).
SCOPES = {'application': 'created_by_id', 'consignment': 'created_by_id',
          'establishment': 'enterprise_id', 'consignment_lot': 'consignment_id'}


def upgrade():
    for table, scope in SCOPES.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('creation_key', sa.String(length=64), nullable=True))
            if table == 'consignment_lot':
                batch_op.add_column(sa.Column('created_at', sa.DateTime(timezone=True),
                                              nullable=True))
            batch_op.create_unique_constraint(batch_op.f(f'uq_{table}_{scope}'),
                                              [scope, 'creation_key'])


def downgrade():
    for table, scope in SCOPES.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f'uq_{table}_{scope}'), type_='unique')
            if table == 'consignment_lot':
                batch_op.drop_column('created_at')
            batch_op.drop_column('creation_key')
