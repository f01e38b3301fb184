"""performance indexes: work queues, registrar lists, dashboard and stage medians

Measured with `make bench` at the default scale (100,000 applications, 1,000,000 audit rows).

Revision ID: 5a7c0e1d9b42
Revises: 29b00dfece0f
Create Date: 2026-11-28 02:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5a7c0e1d9b42'
down_revision = '29b00dfece0f'
branch_labels = None
depends_on = None

TRANSITIONS = sa.text("to_state IS NOT NULL")


def upgrade():
    with op.batch_alter_table('application', schema=None) as batch_op:
        # Sorted by deadline (NULLS LAST reads the index in order on both databases).
        batch_op.create_index('ix_application_deadline', ['stage_deadline', 'id'], unique=False)
        # A category's queue in deadline order, and its count from the index alone.
        batch_op.create_index('ix_application_category_deadline',
                              ['gacc_category_code', 'stage_deadline', 'id', 'establishment_id',
                               'state', 'assignee_id'], unique=False)
        # The registrar's queues: oldest in their state first.
        batch_op.create_index('ix_application_state_changed',
                              ['state', 'state_changed_at', 'id'], unique=False)
        # Replaces ix_application_establishment_id: counts by region read only the index.
        batch_op.create_index('ix_application_establishment_state',
                              ['establishment_id', 'state'], unique=False)
        batch_op.drop_index('ix_application_establishment_id')

    with op.batch_alter_table('establishment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_establishment_region_code'), ['region_code'],
                              unique=False)

    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        # The workflow's transitions per application in order: the dashboard's stage medians.
        batch_op.create_index('ix_audit_event_transition',
                              ['application_id', 'seq', 'at', 'from_state', 'to_state'],
                              unique=False, sqlite_where=TRANSITIONS,
                              postgresql_where=TRANSITIONS)


def downgrade():
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_event_transition')

    with op.batch_alter_table('establishment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_establishment_region_code'))

    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.create_index('ix_application_establishment_id', ['establishment_id'],
                              unique=False)
        batch_op.drop_index('ix_application_establishment_state')
        batch_op.drop_index('ix_application_state_changed')
        batch_op.drop_index('ix_application_category_deadline')
        batch_op.drop_index('ix_application_deadline')
