"""audit event object: an index of the audit trail by object, so that an edit found stale
names who saved the object last without reading the whole trail

Revision ID: 5d1e8b3f7a20
Revises: 2f9b7c4e8a13
Create Date: 2026-12-07 10:00:00.000000

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '5d1e8b3f7a20'
down_revision = '2f9b7c4e8a13'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_audit_event_object', 'audit_event',
                    ['object_type', 'object_id', 'seq'], unique=False)


def downgrade():
    op.drop_index('ix_audit_event_object', table_name='audit_event')
