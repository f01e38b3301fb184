"""application region: the establishment's region on the application, in the queue's index

An inspector's territory was a list of establishments (those of their regions) that every
statement of the queue built again and the page's count checked each row against. The
application now carries its establishment's region (set with the establishment, moved with it
by services.enterprises), and ix_application_category_deadline holds it instead of the
establishment: the queue's page and count are answered from the index.

SQLite rebuilds the table (batch mode) to make the column NOT NULL with its foreign key; it
relies on migrations/env.py leaving foreign keys unenforced meanwhile.

Revision ID: 7fd52d36068f
Revises: 7d3f2b8c61a0
Create Date: 2026-11-28 06:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7fd52d36068f'
down_revision = '7d3f2b8c61a0'
branch_labels = None
depends_on = None

QUEUE_INDEX = 'ix_application_category_deadline'
QUEUE_COLUMNS = ['gacc_category_code', 'stage_deadline', 'id', 'region_code', 'state',
                 'assignee_id']
PREVIOUS_QUEUE_COLUMNS = ['gacc_category_code', 'stage_deadline', 'id', 'establishment_id',
                          'state', 'assignee_id']


def _require_unenforced_sqlite_foreign_keys():
    """Copying `application` and dropping the old table must not cascade to its children."""
    bind = op.get_bind()
    if bind.dialect.name == 'sqlite' and bind.exec_driver_sql('PRAGMA foreign_keys').scalar():
        raise RuntimeError('SQLite foreign keys are enforced: rebuilding `application` would '
                           'delete the rows that reference it. Run it through migrations/env.py.')


def upgrade():
    _require_unenforced_sqlite_foreign_keys()
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.add_column(sa.Column('region_code', sa.String(length=8), nullable=True))

    application = sa.table('application', sa.column('establishment_id'),
                           sa.column('region_code'))
    establishment = sa.table('establishment', sa.column('id'), sa.column('region_code'))
    op.execute(application.update().values(region_code=(
        sa.select(establishment.c.region_code)
        .where(establishment.c.id == application.c.establishment_id)
        .scalar_subquery())))

    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.alter_column('region_code', existing_type=sa.String(length=8), nullable=False)
        batch_op.create_foreign_key(batch_op.f('fk_application_region_code_region'), 'region',
                                    ['region_code'], ['code'])
        batch_op.drop_index(QUEUE_INDEX)
        batch_op.create_index(QUEUE_INDEX, QUEUE_COLUMNS, unique=False)


def downgrade():
    _require_unenforced_sqlite_foreign_keys()
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.drop_index(QUEUE_INDEX)
        batch_op.create_index(QUEUE_INDEX, PREVIOUS_QUEUE_COLUMNS, unique=False)
        batch_op.drop_constraint(batch_op.f('fk_application_region_code_region'),
                                 type_='foreignkey')
        batch_op.drop_column('region_code')
