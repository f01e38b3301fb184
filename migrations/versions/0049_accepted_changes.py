"""accepted changes: a change application, once GACC accepted it, names the registration whose
products it changed (which keeps its number and validity); indexed as the renewals are

Revision ID: 5c2e9a7b4f18
Revises: 2f6a8c4e1d93
Create Date: 2026-12-07 16:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '5c2e9a7b4f18'
down_revision = '2f6a8c4e1d93'
branch_labels = None
depends_on = None

CHANGES = sa.text('change_of_id IS NOT NULL')


def upgrade():
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.add_column(sa.Column('change_of_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_application_change_of_id_registration'),
                                    'registration', ['change_of_id'], ['id'], use_alter=True)
    op.create_index('ix_application_change_of_id', 'application', ['change_of_id'],
                    sqlite_where=CHANGES, postgresql_where=CHANGES)


def downgrade():
    op.drop_index('ix_application_change_of_id', table_name='application')
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_application_change_of_id_registration'),
                                 type_='foreignkey')
        batch_op.drop_column('change_of_id')
