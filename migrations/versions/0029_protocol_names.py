"""protocol names: each product's protocol with China named in Russian, Kazakh and Chinese

The reference loader (flask load-reference) fills them from market_access.csv; a row an
administrator edited gets them too while its English name is still the file's.

Revision ID: 2e7b5c1d9f46
Revises: 3d9b6f1e8a47
Create Date: 2026-12-05 08:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '2e7b5c1d9f46'
down_revision = '3d9b6f1e8a47'
branch_labels = None
depends_on = None

LANGUAGES = ('ru', 'kk', 'zh')


def upgrade():
    with op.batch_alter_table('market_access', schema=None) as batch_op:
        for language in LANGUAGES:
            batch_op.add_column(sa.Column(f'protocol_name_{language}', sa.Text(),
                                          nullable=False, server_default=''))


def downgrade():
    with op.batch_alter_table('market_access', schema=None) as batch_op:
        for language in reversed(LANGUAGES):
            batch_op.drop_column(f'protocol_name_{language}')
