"""result validity in the reference data: the days a laboratory result on a product counts
(one month for chilled beef, domain.md §5) was written in the code for any product whose code
said "chilled"; it is now a column of the product, with its source, that an administrator may
correct. Existing databases get chilled beef's 30 days here; `load-reference` sets the rest.

Revision ID: 3e7a9c1d5b42
Revises: 8d3f1b6a2c57
Create Date: 2026-12-08 04:20:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '3e7a9c1d5b42'
down_revision = '8d3f1b6a2c57'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('product', schema=None) as batch_op:
        batch_op.add_column(sa.Column('result_valid_days', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('result_validity_source', sa.Text(), server_default='',
                                      nullable=False))
    op.execute("UPDATE product SET result_valid_days = 30, result_validity_source = "
               "'domain.md §5: a laboratory result on some chilled products is valid for one "
               "month (V); applied to chilled beef' WHERE code = 'beef_chilled'")


def downgrade():
    with op.batch_alter_table('product', schema=None) as batch_op:
        batch_op.drop_column('result_validity_source')
        batch_op.drop_column('result_valid_days')
