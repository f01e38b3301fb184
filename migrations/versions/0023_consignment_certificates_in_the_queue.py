"""consignment certificates rendered in the queue: the issue's context kept, the PDF attached later

Revision ID: 7a4e2c9d1b58
Revises: 1c6f0d9b3e72
Create Date: 2026-12-04 20:30:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '7a4e2c9d1b58'
down_revision = '1c6f0d9b3e72'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('consignment_certificate', schema=None) as batch_op:
        batch_op.add_column(sa.Column('context', sa.JSON(), nullable=True))
        batch_op.alter_column('pdf_id', existing_type=sa.Integer(), nullable=True)


def downgrade():
    with op.batch_alter_table('consignment_certificate', schema=None) as batch_op:
        batch_op.alter_column('pdf_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('context')
