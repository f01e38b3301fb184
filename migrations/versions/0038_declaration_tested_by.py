"""declaration tested by: the laboratory parameters whose results a protocol's wording attests
(dwarf bunt for the wheat grown free of it, the banned substances for the meat free of their
residues); a certificate prints the wording only once each has a result of the consignment

Revision ID: 9b2f6d4e8a31
Revises: 7c3a9e1b4d58
Create Date: 2026-12-06 13:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '9b2f6d4e8a31'
down_revision = '7c3a9e1b4d58'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('protocol_declaration', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tested_by', sa.Text(), nullable=False,
                                      server_default=''))


def downgrade():
    with op.batch_alter_table('protocol_declaration', schema=None) as batch_op:
        batch_op.drop_column('tested_by')
