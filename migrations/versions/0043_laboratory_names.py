"""laboratory names: an accredited laboratory's name in Kazakh, Russian and Chinese beside its
English one, shown to readers of those languages

Revision ID: 7c3e9a1f5b28
Revises: 5a8d2c6e9f13
Create Date: 2026-12-06 21:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '7c3e9a1f5b28'
down_revision = '5a8d2c6e9f13'
branch_labels = None
depends_on = None

LANGUAGES = ('kk', 'ru', 'zh')


def upgrade():
    with op.batch_alter_table('laboratory', schema=None) as batch_op:
        for language in LANGUAGES:
            batch_op.add_column(sa.Column(f'name_{language}', sa.String(length=300),
                                          nullable=False, server_default=''))


def downgrade():
    with op.batch_alter_table('laboratory', schema=None) as batch_op:
        for language in LANGUAGES:
            batch_op.drop_column(f'name_{language}')
