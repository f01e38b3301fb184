"""renewals index: only the applications that renew a registration are indexed by it (a
partial index), so that SQLite's planner looks the renewals of given registrations up instead
of scanning every application (its statistics counted the NULLs as one key of 100,000 rows)

Revision ID: 2f6a8c4e1d93
Revises: 8d3b5f1a6c47
Create Date: 2026-12-07 14:30:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '2f6a8c4e1d93'
down_revision = '8d3b5f1a6c47'
branch_labels = None
depends_on = None

RENEWALS = sa.text('renewal_of_id IS NOT NULL')


def upgrade():
    op.drop_index('ix_application_renewal_of_id', table_name='application')
    op.create_index('ix_application_renewal_of_id', 'application', ['renewal_of_id'],
                    sqlite_where=RENEWALS, postgresql_where=RENEWALS)
    if op.get_bind().dialect.name == 'sqlite':
        op.execute('ANALYZE application')  # the planner's statistics of the new index


def downgrade():
    op.drop_index('ix_application_renewal_of_id', table_name='application')
    op.create_index('ix_application_renewal_of_id', 'application', ['renewal_of_id'])
