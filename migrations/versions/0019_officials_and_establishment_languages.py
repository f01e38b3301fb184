"""officials and establishment languages: who signs documents, and establishments in four languages

`official_profile` holds how a registrar or inspector is named on a certificate or a dossier:
name and position in Kazakh, Russian, English and Chinese (Kazakh and English required).

An establishment's `name` and `address` are its Kazakh name and address; the Russian, English
and Chinese ones are added beside them, empty until the exporter gives them.

Revision ID: 737b6e4af687
Revises: 5d2e8b7c9a41
Create Date: 2026-12-04 17:30:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '737b6e4af687'
down_revision = '5d2e8b7c9a41'
branch_labels = None
depends_on = None

LANGUAGES = ('ru', 'en', 'zh')


def upgrade():
    op.create_table(
        'official_profile',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('name_kk', sa.String(length=200), nullable=False),
        sa.Column('name_ru', sa.String(length=200), nullable=False),
        sa.Column('name_en', sa.String(length=200), nullable=False),
        sa.Column('name_zh', sa.String(length=200), nullable=False),
        sa.Column('position_kk', sa.String(length=300), nullable=False),
        sa.Column('position_ru', sa.String(length=300), nullable=False),
        sa.Column('position_en', sa.String(length=300), nullable=False),
        sa.Column('position_zh', sa.String(length=300), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('user_id'),
    )
    for lang in LANGUAGES:
        op.add_column('establishment', sa.Column(f'name_{lang}', sa.String(length=300),
                                                 nullable=False, server_default=''))
        op.add_column('establishment', sa.Column(f'address_{lang}', sa.Text(),
                                                 nullable=False, server_default=''))


def downgrade():
    with op.batch_alter_table('establishment') as batch_op:
        for lang in LANGUAGES:
            batch_op.drop_column(f'address_{lang}')
            batch_op.drop_column(f'name_{lang}')
    op.drop_table('official_profile')
