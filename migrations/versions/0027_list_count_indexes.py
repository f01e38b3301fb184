"""list counts: the inspector queue's state index on SQLite too, the register's count index on PostgreSQL

`ix_application_state_queue` (state, gacc_category_code, region_code, assignee_id), which
migration 0026 gave PostgreSQL only, on SQLite too: the inspector queue's count reads its open
states' index ranges instead of every entry of a category's (or the deadline index's) range,
and `make bench` shows SQLite's planner keeps the pages on the deadline indexes (a category's
count 5-10 -> 0.8 ms, the whole territory's 40 -> 4 ms).

`ix_registration_shown_by_enterprise` (enterprise_id, valid_to) INCLUDE (status), partial on
the statuses the public register shows, on PostgreSQL only: a register search counts the
registrations in force of the enterprises whose names match with one index descent per
enterprise, where ix_registration_enterprise_in_force took one per enterprise and status and a
heap visit per match. The same statement as certtrack/models/postgresql.py; autogenerate leaves
it out (migrations/env.py).

Revision ID: 8c1f4e7a2d35
Revises: 4f8a2c6e1d93
Create Date: 2026-12-05 03:30:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '8c1f4e7a2d35'
down_revision = '4f8a2c6e1d93'
branch_labels = None
depends_on = None

POSTGRESQL_ONLY = ("CREATE INDEX ix_registration_shown_by_enterprise ON registration "
                   "(enterprise_id, valid_to) INCLUDE (status) "
                   "WHERE status IN ('active', 'suspended')")


def upgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(POSTGRESQL_ONLY)  # ix_application_state_queue is there since 0026
    else:
        op.create_index('ix_application_state_queue', 'application',
                        ['state', 'gacc_category_code', 'region_code', 'assignee_id'],
                        unique=False)


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('DROP INDEX IF EXISTS ix_registration_shown_by_enterprise')
    else:
        op.drop_index('ix_application_state_queue', table_name='application')
