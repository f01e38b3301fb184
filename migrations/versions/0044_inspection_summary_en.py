"""inspection summary in English: the inspector's summary stays as written (Kazakh or
Russian); its version in English or Chinese is what the recommendation dossier to GACC prints

Revision ID: 9b4d2e6c8a17
Revises: 7c3e9a1f5b28
Create Date: 2026-12-06 21:30:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '9b4d2e6c8a17'
down_revision = '7c3e9a1f5b28'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('inspection', schema=None) as batch_op:
        batch_op.add_column(sa.Column('summary_en', sa.Text(), nullable=False,
                                      server_default=''))


def downgrade():
    with op.batch_alter_table('inspection', schema=None) as batch_op:
        batch_op.drop_column('summary_en')
