"""consignment certificates: market access, border crossings, protocol wording

Market access of each product to China (protocol status, name and date, accepted regions of
origin), the border crossings and the wording protocols require on certificates, loaded from
certtrack/reference/ by `flask load-reference`.

Revision ID: c7f3a9d21e16
Revises: 9b1d6e3f2a58
Create Date: 2026-12-01 09:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c7f3a9d21e16'
down_revision = '9b1d6e3f2a58'
branch_labels = None
depends_on = None


def _reference_tables():
    op.create_table(
        'market_access',
        sa.Column('product_code', sa.String(length=40), nullable=False),
        sa.Column('country', sa.String(length=2), nullable=False),
        sa.Column('protocol_status', sa.String(length=16), nullable=False),
        sa.Column('protocol_name', sa.Text(), nullable=False),
        sa.Column('protocol_date', sa.Date(), nullable=True),
        sa.Column('gacc_category_code', sa.String(length=32), nullable=False),
        sa.Column('accepted_regions', sa.Text(), nullable=False),
        sa.Column('source', sa.Text(), nullable=False),
        sa.Column('confidence', sa.String(length=1), nullable=False),
        sa.ForeignKeyConstraint(['gacc_category_code'], ['gacc_category.code']),
        sa.ForeignKeyConstraint(['product_code'], ['product.code']),
        sa.PrimaryKeyConstraint('product_code', 'country'))
    op.create_table(
        'border_crossing',
        sa.Column('code', sa.String(length=40), nullable=False),
        sa.Column('name_en', sa.String(length=200), nullable=False),
        sa.Column('name_ru', sa.String(length=200), nullable=False),
        sa.Column('name_kk', sa.String(length=200), nullable=False),
        sa.Column('name_zh', sa.String(length=200), nullable=False),
        sa.Column('mode', sa.String(length=8), nullable=False),
        sa.Column('source', sa.Text(), nullable=False),
        sa.Column('confidence', sa.String(length=1), nullable=False),
        sa.PrimaryKeyConstraint('code'))
    op.create_table(
        'protocol_declaration',
        sa.Column('code', sa.String(length=40), nullable=False),
        sa.Column('kind', sa.String(length=8), nullable=False),
        sa.Column('products', sa.Text(), nullable=False),
        sa.Column('text_en', sa.Text(), nullable=False),
        sa.Column('text_ru', sa.Text(), nullable=False),
        sa.Column('text_kk', sa.Text(), nullable=False),
        sa.Column('text_zh', sa.Text(), nullable=False),
        sa.Column('source', sa.Text(), nullable=False),
        sa.Column('confidence', sa.String(length=1), nullable=False),
        sa.PrimaryKeyConstraint('code'))


def upgrade():
    _reference_tables()


def downgrade():
    op.drop_table('protocol_declaration')
    op.drop_table('border_crossing')
    op.drop_table('market_access')
