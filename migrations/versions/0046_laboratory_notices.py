"""laboratory notices: an accredited laboratory's accounts are told of the samples sent to it,
and the application's inspector of the results the laboratory posts (the CHECK constraint of
notification.kind grows by those kinds)

Revision ID: 6c1e9a4d7b23
Revises: 4f7a1c9e3b52
Create Date: 2026-12-07 08:00:00.000000

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '6c1e9a4d7b23'
down_revision = '4f7a1c9e3b52'
branch_labels = None
depends_on = None

# As migrations do not import the application, the kinds are written out here.
KINDS_BEFORE = ('returned', 'inspection_scheduled', 'corrective_actions', 'results',
                'conclusion', 'registered', 'gacc_returned', 'gacc_refused', 'suspended',
                'resumed', 'revoked', 'cancelled', 'invalidated', 'expired', 'renewal_window',
                'assigned', 'submitted', 'certificate_issued', 'certificate_revoked', 'renewed',
                'holiday_data', 'consignment_certificate_issued', 'name_change_requested',
                'name_change_decided', 'consignment_refused', 'consignment_correction',
                'consignment_cancelled')
KINDS_AFTER = KINDS_BEFORE + ('lab_samples', 'lab_result')


def _notification_kinds(codes):
    listed = ", ".join(repr(code) for code in codes)
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_notification_kind_allowed'), type_='check')
        batch_op.create_check_constraint('kind_allowed', f"kind IN ({listed})")


def upgrade():
    _notification_kinds(KINDS_AFTER)


def downgrade():
    op.execute("DELETE FROM notification WHERE kind IN ('lab_samples', 'lab_result')")
    _notification_kinds(KINDS_BEFORE)
