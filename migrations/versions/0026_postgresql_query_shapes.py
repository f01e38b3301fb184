"""postgresql query shapes: the inspector queue's count by state, applications by renewed registration

`ix_application_state_queue` (state, gacc_category_code, region_code, assignee_id), on
PostgreSQL only: the inspector queue's count reads its open states' index ranges instead of a
category's whole range of ix_application_category_deadline, entry by entry (SQLite counts an
index range from its pages, and would take the new index for the queue's page over the
covering index the page is tuned for). The same statement as certtrack/models/postgresql.py; autogenerate leaves
it out (migrations/env.py).

`ix_application_renewal_of_id` on both: the issue of a certificate looks up the registration's
latest renewal inside its write transaction, which read every application without it (`make
bench`, PostgreSQL: 120 ms of a 230 ms transaction on a busy machine).

Revision ID: 4f8a2c6e1d93
Revises: 5b8e2d4a7c10
Create Date: 2026-12-04 21:30:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '4f8a2c6e1d93'
down_revision = '5b8e2d4a7c10'
branch_labels = None
depends_on = None

POSTGRESQL_ONLY = (
    'CREATE INDEX ix_application_state_queue ON application '
    '(state, gacc_category_code, region_code, assignee_id)',
)


def upgrade():
    op.create_index('ix_application_renewal_of_id', 'application', ['renewal_of_id'],
                    unique=False)
    if op.get_bind().dialect.name == 'postgresql':
        for statement in POSTGRESQL_ONLY:
            op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('DROP INDEX IF EXISTS ix_application_state_queue')
    op.drop_index('ix_application_renewal_of_id', table_name='application')
