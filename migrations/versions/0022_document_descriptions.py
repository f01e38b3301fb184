"""document descriptions: what each required document must contain, in four languages

Revision ID: 1c6f0d9b3e72
Revises: 9e3b1f6a2c84
Create Date: 2026-12-04 19:10:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '1c6f0d9b3e72'
down_revision = '9e3b1f6a2c84'
branch_labels = None
depends_on = None

LANGUAGES = ('ru', 'kk', 'zh')


def upgrade():
    with op.batch_alter_table('document_type', schema=None) as batch_op:
        for language in LANGUAGES:
            batch_op.add_column(sa.Column(f'description_{language}', sa.Text(), nullable=False,
                                          server_default=''))


def downgrade():
    with op.batch_alter_table('document_type', schema=None) as batch_op:
        for language in LANGUAGES:
            batch_op.drop_column(f'description_{language}')
