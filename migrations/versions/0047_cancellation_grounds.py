"""cancellation grounds: why a consignment certificate was cancelled, as its public page says
it in the reader's language (the goods not exported, issued in error, the consignment being
corrected withdrawn or refused); the inspector's reason stays with the exporter

Revision ID: 8d3b5f1a6c47
Revises: 6c1e9a4d7b23
Create Date: 2026-12-07 13:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '8d3b5f1a6c47'
down_revision = '6c1e9a4d7b23'
branch_labels = None
depends_on = None

# As migrations do not import the application, the grounds are written out here.
GROUNDS = ('not_exported', 'issued_in_error', 'withdrawn', 'refused')


def upgrade():
    listed = ", ".join(repr(code) for code in (*GROUNDS, ''))
    with op.batch_alter_table('consignment_certificate', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cancellation_ground', sa.String(length=16),
                                      nullable=True))
        batch_op.create_check_constraint(
            'cancellation_ground_allowed',
            f"cancellation_ground IS NULL OR cancellation_ground IN ({listed})")
    # The grounds the workflow's own cancellations had: a withdrawal left no reason, and a
    # refusal left its consignment refused. An inspector's cancellation is left without one:
    # whether its goods did not leave or it was issued in error was not recorded.
    op.execute("UPDATE consignment_certificate SET cancellation_ground = 'withdrawn' "
               "WHERE cancelled_on IS NOT NULL AND cancellation_reason = ''")
    op.execute("UPDATE consignment_certificate SET cancellation_ground = 'refused' "
               "WHERE cancelled_on IS NOT NULL AND cancellation_reason <> '' AND consignment_id "
               "IN (SELECT id FROM consignment WHERE state = 'refused')")


def downgrade():
    with op.batch_alter_table('consignment_certificate', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('ck_consignment_certificate_cancellation_ground_allowed'), type_='check')
        batch_op.drop_column('cancellation_ground')
