"""consignment refused notification: the exporter is told when an inspector refuses a
consignment's certificate, with the reason (the CHECK constraint of notification.kind grows by
that kind)

Revision ID: 8e4c1a7d2f65
Revises: 3b8d6f2a9c41
Create Date: 2026-12-06 12:00:00.000000

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '8e4c1a7d2f65'
down_revision = '3b8d6f2a9c41'
branch_labels = None
depends_on = None

# As migrations do not import the application, the kinds are written out here.
KINDS_BEFORE = ('returned', 'inspection_scheduled', 'corrective_actions', 'results',
                'conclusion', 'registered', 'gacc_returned', 'gacc_refused', 'suspended',
                'resumed', 'revoked', 'cancelled', 'invalidated', 'expired', 'renewal_window',
                'assigned', 'submitted', 'certificate_issued', 'certificate_revoked', 'renewed',
                'holiday_data', 'consignment_certificate_issued', 'name_change_requested',
                'name_change_decided')
KINDS_AFTER = KINDS_BEFORE + ('consignment_refused',)


def _notification_kinds(codes):
    listed = ", ".join(repr(code) for code in codes)
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_notification_kind_allowed'), type_='check')
        batch_op.create_check_constraint('kind_allowed', f"kind IN ({listed})")


def upgrade():
    _notification_kinds(KINDS_AFTER)


def downgrade():
    op.execute("DELETE FROM notification WHERE kind = 'consignment_refused'")
    _notification_kinds(KINDS_BEFORE)
