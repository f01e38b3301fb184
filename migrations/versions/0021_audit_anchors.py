"""audit anchors: the chain's daily head signed with the authority's seal key

Revision ID: 9e3b1f6a2c84
Revises: 5d2a9c7e41b8
Create Date: 2026-12-04 19:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '9e3b1f6a2c84'
down_revision = '5d2a9c7e41b8'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'audit_anchor',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('seq', sa.Integer(), nullable=False),
        sa.Column('head_hash', sa.String(length=64), nullable=False),
        sa.Column('signature', sa.Text(), nullable=False),
        sa.Column('certificate', sa.Text(), nullable=False),
        sa.Column('signer', sa.String(length=200), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_anchor')),
        sa.UniqueConstraint('day', name=op.f('uq_audit_anchor_day')),
    )


def downgrade():
    op.drop_table('audit_anchor')
