"""domain rules on every date: Order 280 renewal list, superseded limits, certificate
revocation, inspections outside working hours and plant-quarantine measurements

- gacc_category: where its place on GACC's Order 280 renewal list comes from (source,
  confidence) and when an administrator edited it;
- lab_limit.superseded_by_id: a limit a newer standard replaced, kept for the results judged
  by it;
- certificate: who revoked it and why;
- inspection: held outside working hours, and why;
- quarantine_requirement and quarantine_measurement: plant-quarantine measurements of an
  inspection (moisture, foreign matter, weed seeds, live pests) and what they must meet.

Revision ID: 4c7e1a9d2b60
Revises: 7d4c2a9e1b17
Create Date: 2026-12-01 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '4c7e1a9d2b60'
down_revision = '7d4c2a9e1b17'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('gacc_category', schema=None) as batch_op:
        batch_op.add_column(sa.Column('renewal_list_source', sa.Text(), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('renewal_list_confidence', sa.String(length=1),
                                      nullable=False, server_default='U'))
        batch_op.add_column(sa.Column('renewal_list_edited_at', sa.DateTime(timezone=True),
                                      nullable=True))
    with op.batch_alter_table('lab_limit', schema=None) as batch_op:
        batch_op.add_column(sa.Column('superseded_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_lab_limit_superseded_by_id_lab_limit'),
                                    'lab_limit', ['superseded_by_id'], ['id'])
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.add_column(sa.Column('revocation_reason', sa.Text(), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('revoked_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_certificate_revoked_by_id_user'), 'user',
                                    ['revoked_by_id'], ['id'])
    with op.batch_alter_table('inspection', schema=None) as batch_op:
        batch_op.add_column(sa.Column('outside_working_hours', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.add_column(sa.Column('outside_hours_reason', sa.Text(), nullable=False,
                                      server_default=''))
    op.create_table(
        'quarantine_requirement',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('measure', sa.String(length=32), nullable=False),
        sa.Column('products', sa.Text(), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('value', sa.Numeric(precision=14, scale=6), nullable=True),
        sa.Column('unit', sa.String(length=16), nullable=False),
        sa.Column('standard', sa.String(length=200), nullable=False),
        sa.Column('clause', sa.String(length=300), nullable=False),
        sa.Column('confidence', sa.String(length=1), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_quarantine_requirement')),
        sa.UniqueConstraint('measure', 'products',
                            name=op.f('uq_quarantine_requirement_measure')),
    )
    op.create_table(
        'quarantine_measurement',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('inspection_id', sa.Integer(), nullable=False),
        sa.Column('application_id', sa.Integer(), nullable=False),
        sa.Column('product_code', sa.String(length=40), nullable=False),
        sa.Column('measure', sa.String(length=32), nullable=False),
        sa.Column('value', sa.Numeric(precision=14, scale=4), nullable=False),
        sa.Column('unit', sa.String(length=16), nullable=False),
        sa.Column('species', sa.Text(), nullable=False),
        sa.Column('verdict', sa.String(length=16), nullable=False),
        sa.Column('requirement_value', sa.Numeric(precision=14, scale=6), nullable=True),
        sa.Column('requirement_kind', sa.String(length=16), nullable=False),
        sa.Column('requirement_source', sa.Text(), nullable=False),
        sa.Column('requirement_confidence', sa.String(length=1), nullable=False),
        sa.Column('recorded_by_id', sa.Integer(), nullable=True),
        sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['application_id'], ['application.id'],
                                name=op.f('fk_quarantine_measurement_application_id_application')),
        sa.ForeignKeyConstraint(['inspection_id'], ['inspection.id'],
                                name=op.f('fk_quarantine_measurement_inspection_id_inspection')),
        sa.ForeignKeyConstraint(['product_code'], ['product.code'],
                                name=op.f('fk_quarantine_measurement_product_code_product')),
        sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'],
                                name=op.f('fk_quarantine_measurement_recorded_by_id_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_quarantine_measurement')),
    )
    op.create_index(op.f('ix_quarantine_measurement_application_id'), 'quarantine_measurement',
                    ['application_id'], unique=False)
    op.create_index(op.f('ix_quarantine_measurement_inspection_id'), 'quarantine_measurement',
                    ['inspection_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_quarantine_measurement_inspection_id'),
                  table_name='quarantine_measurement')
    op.drop_index(op.f('ix_quarantine_measurement_application_id'),
                  table_name='quarantine_measurement')
    op.drop_table('quarantine_measurement')
    op.drop_table('quarantine_requirement')
    with op.batch_alter_table('inspection', schema=None) as batch_op:
        batch_op.drop_column('outside_hours_reason')
        batch_op.drop_column('outside_working_hours')
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_certificate_revoked_by_id_user'),
                                 type_='foreignkey')
        batch_op.drop_column('revoked_by_id')
        batch_op.drop_column('revocation_reason')
    with op.batch_alter_table('lab_limit', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_lab_limit_superseded_by_id_lab_limit'),
                                 type_='foreignkey')
        batch_op.drop_column('superseded_by_id')
    with op.batch_alter_table('gacc_category', schema=None) as batch_op:
        batch_op.drop_column('renewal_list_edited_at')
        batch_op.drop_column('renewal_list_confidence')
        batch_op.drop_column('renewal_list_source')
