"""market access edits: administrators' edits of a protocol row are kept by the loader

Revision ID: 5d2e8b7c9a41
Revises: cd37b7050226
Create Date: 2026-12-04 18:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '5d2e8b7c9a41'
down_revision = 'cd37b7050226'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('market_access', schema=None) as batch_op:
        batch_op.add_column(sa.Column('edited_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('market_access', schema=None) as batch_op:
        batch_op.drop_column('edited_at')
