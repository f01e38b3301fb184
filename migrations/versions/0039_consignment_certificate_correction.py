"""consignment certificate correction: why an issued certificate's data is being corrected
(the replacement's reason), and a certificate cancelled, when and why (the goods did not
leave, or it was issued in error); the notifications of both (the CHECK constraint of
notification.kind grows by their kinds)

Revision ID: 4e7a1c9d2b65
Revises: 9b2f6d4e8a31
Create Date: 2026-12-06 14:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '4e7a1c9d2b65'
down_revision = '9b2f6d4e8a31'
branch_labels = None
depends_on = None

# As migrations do not import the application, the kinds are written out here.
KINDS_BEFORE = ('returned', 'inspection_scheduled', 'corrective_actions', 'results',
                'conclusion', 'registered', 'gacc_returned', 'gacc_refused', 'suspended',
                'resumed', 'revoked', 'cancelled', 'invalidated', 'expired', 'renewal_window',
                'assigned', 'submitted', 'certificate_issued', 'certificate_revoked', 'renewed',
                'holiday_data', 'consignment_certificate_issued', 'name_change_requested',
                'name_change_decided', 'consignment_refused')
KINDS_AFTER = KINDS_BEFORE + ('consignment_correction', 'consignment_cancelled')


def _notification_kinds(codes):
    listed = ", ".join(repr(code) for code in codes)
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_notification_kind_allowed'), type_='check')
        batch_op.create_check_constraint('kind_allowed', f"kind IN ({listed})")


def upgrade():
    with op.batch_alter_table('consignment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('correction_reason', sa.Text(), nullable=False,
                                      server_default=''))
    with op.batch_alter_table('consignment_certificate', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cancelled_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('cancellation_reason', sa.Text(), nullable=False,
                                      server_default=''))
    _notification_kinds(KINDS_AFTER)


def downgrade():
    op.execute("DELETE FROM notification WHERE kind IN ('consignment_correction', "
               "'consignment_cancelled')")
    _notification_kinds(KINDS_BEFORE)
    with op.batch_alter_table('consignment_certificate', schema=None) as batch_op:
        batch_op.drop_column('cancellation_reason')
        batch_op.drop_column('cancelled_on')
    with op.batch_alter_table('consignment', schema=None) as batch_op:
        batch_op.drop_column('correction_reason')
