"""lab parameter names: laboratory parameters with their names in four languages, and each
limit's matrix in Russian, Kazakh and Chinese

The reference loader (flask load-reference) fills the table and links the limits to it.

Revision ID: 6f3fbf432edb
Revises: 7a4e2c9d1b58
Create Date: 2026-12-04 19:58:44.617511

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '6f3fbf432edb'
down_revision = '7a4e2c9d1b58'
branch_labels = None
depends_on = None

LANGUAGES = ('ru', 'kk', 'zh')


def upgrade():
    op.create_table(
        'lab_parameter',
        sa.Column('code', sa.String(length=40), nullable=False),
        sa.Column('name_en', sa.String(length=120), nullable=False),
        sa.Column('name_ru', sa.String(length=200), nullable=False),
        sa.Column('name_kk', sa.String(length=200), nullable=False),
        sa.Column('name_zh', sa.String(length=200), nullable=False),
        sa.Column('source', sa.Text(), nullable=False),
        sa.Column('confidence', sa.String(length=1), nullable=False),
        sa.PrimaryKeyConstraint('code', name=op.f('pk_lab_parameter')),
        sa.UniqueConstraint('name_en', name=op.f('uq_lab_parameter_name_en')),
    )
    with op.batch_alter_table('lab_limit', schema=None) as batch_op:
        batch_op.add_column(sa.Column('parameter_code', sa.String(length=40), nullable=True))
        for language in LANGUAGES:
            batch_op.add_column(sa.Column(f'matrix_{language}', sa.String(length=300),
                                          nullable=False, server_default=''))
        batch_op.create_index(batch_op.f('ix_lab_limit_parameter_code'), ['parameter_code'],
                              unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_lab_limit_parameter_code_lab_parameter'),
                                    'lab_parameter', ['parameter_code'], ['code'])


def downgrade():
    with op.batch_alter_table('lab_limit', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_lab_limit_parameter_code_lab_parameter'),
                                 type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_lab_limit_parameter_code'))
        for language in reversed(LANGUAGES):
            batch_op.drop_column(f'matrix_{language}')
        batch_op.drop_column('parameter_code')
    op.drop_table('lab_parameter')
