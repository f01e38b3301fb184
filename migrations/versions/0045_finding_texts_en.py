"""findings in English: a finding's requirement and observation, and its corrective action,
stay as the inspector wrote them (Kazakh or Russian); their versions in English or Chinese are
what the recommendation dossier to GACC prints

Revision ID: 4f7a1c9e3b52
Revises: 9b4d2e6c8a17
Create Date: 2026-12-07 03:05:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '4f7a1c9e3b52'
down_revision = '9b4d2e6c8a17'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('finding', schema=None) as batch_op:
        batch_op.add_column(sa.Column('requirement_en', sa.String(length=300), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('observation_en', sa.Text(), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('corrective_action_en', sa.Text(), nullable=False,
                                      server_default=''))


def downgrade():
    with op.batch_alter_table('finding', schema=None) as batch_op:
        batch_op.drop_column('corrective_action_en')
        batch_op.drop_column('observation_en')
        batch_op.drop_column('requirement_en')
