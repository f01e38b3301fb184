"""registration establishment index: the register's region filter from the index alone

`ix_registration_establishment_in_force` (establishment_id, status, valid_to,
gacc_category_code) replaces `ix_registration_establishment_id`, its first column: the public
register filtered by region (and category) finds the registrations in force of the region's
establishments without reading their rows.

SQLite then gathers its planner statistics again (ANALYZE), as after migration 0009.

Revision ID: 9b1d6e3f2a58
Revises: 5e2a8d0c4f17
Create Date: 2026-11-28 16:40:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '9b1d6e3f2a58'
down_revision = '5e2a8d0c4f17'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_registration_establishment_in_force', 'registration',
                    ['establishment_id', 'status', 'valid_to', 'gacc_category_code'],
                    unique=False)
    op.drop_index('ix_registration_establishment_id', table_name='registration')
    if op.get_bind().dialect.name == 'sqlite':
        op.execute('ANALYZE')


def downgrade():
    op.create_index('ix_registration_establishment_id', 'registration', ['establishment_id'],
                    unique=False)
    op.drop_index('ix_registration_establishment_in_force', table_name='registration')
