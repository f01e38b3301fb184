"""name change requests: a registered enterprise's or establishment's new name waits for staff

A rename of an enterprise or establishment that holds a registration in China is stored as a
request that the registrar approves or refuses; the notification kinds grow by the two that
tell about it (the CHECK constraint of notification.kind is replaced).

Revision ID: 5d2a9c7e41b8
Revises: 737b6e4af687
Create Date: 2026-12-04 17:45:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '5d2a9c7e41b8'
down_revision = '737b6e4af687'
branch_labels = None
depends_on = None

KINDS_BEFORE = ('returned', 'inspection_scheduled', 'corrective_actions', 'results',
                'conclusion', 'registered', 'gacc_returned', 'gacc_refused', 'suspended',
                'resumed', 'revoked', 'cancelled', 'invalidated', 'expired', 'renewal_window',
                'assigned', 'submitted', 'certificate_issued', 'certificate_revoked', 'renewed',
                'holiday_data', 'consignment_certificate_issued')
KINDS_AFTER = KINDS_BEFORE + ('name_change_requested', 'name_change_decided')
STATUSES = ('pending', 'approved', 'refused')


def _in(column, codes):
    return f"{column} IN ({', '.join(repr(code) for code in codes)})"


def _notification_kinds(codes):
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_notification_kind_allowed'), type_='check')
        batch_op.create_check_constraint('kind_allowed', _in('kind', codes))


def upgrade():
    op.create_table('name_change_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('establishment_id', sa.Integer(), nullable=True),
    sa.Column('proposed', sa.JSON(), nullable=False),
    sa.Column('registered', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint(_in('status', STATUSES),
                       name=op.f('ck_name_change_request_status_allowed')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user.id'],
                            name=op.f('fk_name_change_request_decided_by_id_user')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'],
                            name=op.f('fk_name_change_request_enterprise_id_enterprise')),
    sa.ForeignKeyConstraint(['establishment_id'], ['establishment.id'],
                            name=op.f('fk_name_change_request_establishment_id_establishment')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['user.id'],
                            name=op.f('fk_name_change_request_requested_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_name_change_request'))
    )
    with op.batch_alter_table('name_change_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_name_change_request_enterprise_id'),
                              ['enterprise_id'], unique=False)
        batch_op.create_index('ix_name_change_request_status', ['status', 'requested_at'],
                              unique=False)
    _notification_kinds(KINDS_AFTER)


def downgrade():
    op.execute("DELETE FROM notification WHERE kind IN "
               "('name_change_requested', 'name_change_decided')")
    _notification_kinds(KINDS_BEFORE)
    with op.batch_alter_table('name_change_request', schema=None) as batch_op:
        batch_op.drop_index('ix_name_change_request_status')
        batch_op.drop_index(batch_op.f('ix_name_change_request_enterprise_id'))
    op.drop_table('name_change_request')
