"""consignment document versions: the documents of one kind of a consignment are numbered 1,
2, ... in the order they were uploaded, the number unique (as an application's document
versions are), so that the same file sent twice at the same instant is kept once: of the two
uploads racing for the next number, the second is refused, counts again and finds the first's
file the latest. A file sent again after another one of its kind is a new number.

Revision ID: 7c3e9a1f5b20
Revises: 2d8f5b7e1a94
Create Date: 2026-12-06 20:30:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '7c3e9a1f5b20'
down_revision = '2d8f5b7e1a94'
branch_labels = None
depends_on = None

# The documents already there are numbered in the order they were uploaded (their ids).
NUMBER_EXISTING = """
UPDATE consignment_document SET version = (
    SELECT count(*) FROM consignment_document AS earlier
    WHERE earlier.consignment_id = consignment_document.consignment_id
      AND earlier.kind = consignment_document.kind
      AND earlier.id <= consignment_document.id)
"""


def upgrade():
    with op.batch_alter_table('consignment_document', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), nullable=True))
    op.execute(NUMBER_EXISTING)
    with op.batch_alter_table('consignment_document', schema=None) as batch_op:
        batch_op.alter_column('version', existing_type=sa.Integer(), nullable=False)
        batch_op.create_unique_constraint(
            batch_op.f('uq_consignment_document_consignment_id'),
            ['consignment_id', 'kind', 'version'])


def downgrade():
    with op.batch_alter_table('consignment_document', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_consignment_document_consignment_id'),
                                 type_='unique')
        batch_op.drop_column('version')
