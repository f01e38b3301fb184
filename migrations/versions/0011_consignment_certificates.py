"""consignment certificates: market access, consignments, their certificates

Market access of each product to China (protocol status, name and date, accepted regions of
origin), the border crossings and the wording protocols require on certificates, loaded from
certtrack/reference/ by `flask load-reference`; consignments with their lots, treatments, laboratory results,
declarations and documents; phytosanitary and veterinary certificates with their counter per
kind and year, and one original certificate per consignment (a partial unique index).

Revision ID: c7f3a9d21e16
Revises: 9b1d6e3f2a58
Create Date: 2026-12-01 09:00:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'c7f3a9d21e16'
down_revision = '9b1d6e3f2a58'
branch_labels = None
depends_on = None


def _reference_tables():
    op.create_table(
        'market_access',
        sa.Column('product_code', sa.String(length=40), nullable=False),
        sa.Column('country', sa.String(length=2), nullable=False),
        sa.Column('protocol_status', sa.String(length=16), nullable=False),
        sa.Column('protocol_name', sa.Text(), nullable=False),
        sa.Column('protocol_date', sa.Date(), nullable=True),
        sa.Column('gacc_category_code', sa.String(length=32), nullable=False),
        sa.Column('accepted_regions', sa.Text(), nullable=False),
        sa.Column('source', sa.Text(), nullable=False),
        sa.Column('confidence', sa.String(length=1), nullable=False),
        sa.ForeignKeyConstraint(['gacc_category_code'], ['gacc_category.code'], name=op.f('fk_market_access_gacc_category_code_gacc_category')),
        sa.ForeignKeyConstraint(['product_code'], ['product.code'], name=op.f('fk_market_access_product_code_product')),
        sa.PrimaryKeyConstraint('product_code', 'country', name=op.f('pk_market_access')))
    op.create_table(
        'border_crossing',
        sa.Column('code', sa.String(length=40), nullable=False),
        sa.Column('name_en', sa.String(length=200), nullable=False),
        sa.Column('name_ru', sa.String(length=200), nullable=False),
        sa.Column('name_kk', sa.String(length=200), nullable=False),
        sa.Column('name_zh', sa.String(length=200), nullable=False),
        sa.Column('mode', sa.String(length=8), nullable=False),
        sa.Column('source', sa.Text(), nullable=False),
        sa.Column('confidence', sa.String(length=1), nullable=False),
        sa.PrimaryKeyConstraint('code', name=op.f('pk_border_crossing')))
    op.create_table(
        'protocol_declaration',
        sa.Column('code', sa.String(length=40), nullable=False),
        sa.Column('kind', sa.String(length=8), nullable=False),
        sa.Column('products', sa.Text(), nullable=False),
        sa.Column('text_en', sa.Text(), nullable=False),
        sa.Column('text_ru', sa.Text(), nullable=False),
        sa.Column('text_kk', sa.Text(), nullable=False),
        sa.Column('text_zh', sa.Text(), nullable=False),
        sa.Column('source', sa.Text(), nullable=False),
        sa.Column('confidence', sa.String(length=1), nullable=False),
        sa.PrimaryKeyConstraint('code', name=op.f('pk_protocol_declaration')))


def _consignment_tables():
    op.create_table('consignment_certificate_counter',
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('last_serial', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('kind', 'year', name=op.f('pk_consignment_certificate_counter'))
    )
    op.create_table('consignment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('gacc_category_code', sa.String(length=32), nullable=False),
    sa.Column('region_code', sa.String(length=8), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('consignee_name', sa.String(length=300), nullable=False),
    sa.Column('consignee_address', sa.Text(), nullable=False),
    sa.Column('conveyance', sa.String(length=16), nullable=False),
    sa.Column('crossing_code', sa.String(length=40), nullable=False),
    sa.Column('origin_region_code', sa.String(length=8), nullable=False),
    sa.Column('place_of_origin', sa.String(length=300), nullable=False),
    sa.Column('production_from', sa.Date(), nullable=True),
    sa.Column('production_to', sa.Date(), nullable=True),
    sa.Column('storage_temperature', sa.Numeric(precision=5, scale=1), nullable=True),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('submitted_on', sa.Date(), nullable=True),
    sa.Column('deadline', sa.Date(), nullable=True),
    sa.Column('inspector_id', sa.Integer(), nullable=True),
    sa.Column('inspected_on', sa.Date(), nullable=True),
    sa.Column('inspection_place', sa.String(length=300), nullable=False),
    sa.Column('inspection_result', sa.String(length=16), nullable=False),
    sa.Column('inspection_notes', sa.Text(), nullable=False),
    sa.Column('refusal_reason', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_consignment_created_by_id_user')),
    sa.ForeignKeyConstraint(['crossing_code'], ['border_crossing.code'], name=op.f('fk_consignment_crossing_code_border_crossing')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], name=op.f('fk_consignment_enterprise_id_enterprise')),
    sa.ForeignKeyConstraint(['gacc_category_code'], ['gacc_category.code'], name=op.f('fk_consignment_gacc_category_code_gacc_category')),
    sa.ForeignKeyConstraint(['inspector_id'], ['user.id'], name=op.f('fk_consignment_inspector_id_user')),
    sa.ForeignKeyConstraint(['origin_region_code'], ['region.code'], name=op.f('fk_consignment_origin_region_code_region')),
    sa.ForeignKeyConstraint(['region_code'], ['region.code'], name=op.f('fk_consignment_region_code_region')),
    sa.ForeignKeyConstraint(['registration_id'], ['registration.id'], name=op.f('fk_consignment_registration_id_registration')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consignment'))
    )
    with op.batch_alter_table('consignment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consignment_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index('ix_consignment_queue', ['state', 'gacc_category_code', 'region_code', 'deadline'], unique=False)
        batch_op.create_index(batch_op.f('ix_consignment_registration_id'), ['registration_id'], unique=False)

    op.create_table('consignment_certificate',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consignment_id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('number', sa.String(length=32), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('serial', sa.Integer(), nullable=False),
    sa.Column('verification_code', sa.String(length=64), nullable=False),
    sa.Column('replaces_id', sa.Integer(), nullable=True),
    sa.Column('pdf_id', sa.Integer(), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('registration_status_at_issue', sa.String(length=16), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('issued_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['consignment_id'], ['consignment.id'], name=op.f('fk_consignment_certificate_consignment_id_consignment')),
    sa.ForeignKeyConstraint(['issued_by_id'], ['user.id'], name=op.f('fk_consignment_certificate_issued_by_id_user')),
    sa.ForeignKeyConstraint(['pdf_id'], ['stored_pdf.id'], name=op.f('fk_consignment_certificate_pdf_id_stored_pdf')),
    sa.ForeignKeyConstraint(['registration_id'], ['registration.id'], name=op.f('fk_consignment_certificate_registration_id_registration')),
    sa.ForeignKeyConstraint(['replaces_id'], ['consignment_certificate.id'], name=op.f('fk_consignment_certificate_replaces_id_consignment_certificate')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consignment_certificate')),
    sa.UniqueConstraint('kind', 'year', 'serial', name=op.f('uq_consignment_certificate_kind')),
    sa.UniqueConstraint('number', name=op.f('uq_consignment_certificate_number')),
    sa.UniqueConstraint('replaces_id', name=op.f('uq_consignment_certificate_replaces_id'))
    )
    with op.batch_alter_table('consignment_certificate', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consignment_certificate_consignment_id'), ['consignment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_consignment_certificate_registration_id'), ['registration_id'], unique=False)
        batch_op.create_index('uq_consignment_certificate_original', ['consignment_id'], unique=True, sqlite_where=sa.text('replaces_id IS NULL'), postgresql_where=sa.text('replaces_id IS NULL'))

    op.create_table('consignment_declaration',
    sa.Column('consignment_id', sa.Integer(), nullable=False),
    sa.Column('declaration_code', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['consignment_id'], ['consignment.id'], name=op.f('fk_consignment_declaration_consignment_id_consignment')),
    sa.ForeignKeyConstraint(['declaration_code'], ['protocol_declaration.code'], name=op.f('fk_consignment_declaration_declaration_code_protocol_declaration')),
    sa.PrimaryKeyConstraint('consignment_id', 'declaration_code', name=op.f('pk_consignment_declaration'))
    )
    op.create_table('consignment_document',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consignment_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('original_name', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['consignment_id'], ['consignment.id'], name=op.f('fk_consignment_document_consignment_id_consignment')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['user.id'], name=op.f('fk_consignment_document_uploaded_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consignment_document'))
    )
    with op.batch_alter_table('consignment_document', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consignment_document_consignment_id'), ['consignment_id'], unique=False)

    op.create_table('consignment_lab_result',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consignment_id', sa.Integer(), nullable=False),
    sa.Column('limit_id', sa.Integer(), nullable=True),
    sa.Column('sample_code', sa.String(length=40), nullable=False),
    sa.Column('laboratory', sa.String(length=200), nullable=False),
    sa.Column('parameter', sa.String(length=120), nullable=False),
    sa.Column('value', sa.Numeric(precision=18, scale=6), nullable=True),
    sa.Column('unit', sa.String(length=16), nullable=True),
    sa.Column('loq', sa.Numeric(precision=18, scale=6), nullable=True),
    sa.Column('detected', sa.Boolean(), nullable=True),
    sa.Column('method', sa.String(length=120), nullable=False),
    sa.Column('tested_on', sa.Date(), nullable=False),
    sa.Column('verdict', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('limit_text', sa.String(length=120), nullable=False),
    sa.Column('limit_source', sa.Text(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['consignment_id'], ['consignment.id'], name=op.f('fk_consignment_lab_result_consignment_id_consignment')),
    sa.ForeignKeyConstraint(['limit_id'], ['lab_limit.id'], name=op.f('fk_consignment_lab_result_limit_id_lab_limit')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_consignment_lab_result_recorded_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consignment_lab_result'))
    )
    with op.batch_alter_table('consignment_lab_result', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consignment_lab_result_consignment_id'), ['consignment_id'], unique=False)

    op.create_table('consignment_lot',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consignment_id', sa.Integer(), nullable=False),
    sa.Column('product_code', sa.String(length=40), nullable=False),
    sa.Column('net_weight', sa.Numeric(precision=14, scale=3), nullable=False),
    sa.Column('gross_weight', sa.Numeric(precision=14, scale=3), nullable=False),
    sa.Column('weight_unit', sa.String(length=4), nullable=False),
    sa.Column('packages_number', sa.Integer(), nullable=False),
    sa.Column('packages_kind', sa.String(length=16), nullable=False),
    sa.Column('marks', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['consignment_id'], ['consignment.id'], name=op.f('fk_consignment_lot_consignment_id_consignment')),
    sa.ForeignKeyConstraint(['product_code'], ['product.code'], name=op.f('fk_consignment_lot_product_code_product')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consignment_lot'))
    )
    with op.batch_alter_table('consignment_lot', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consignment_lot_consignment_id'), ['consignment_id'], unique=False)

    op.create_table('consignment_treatment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consignment_id', sa.Integer(), nullable=False),
    sa.Column('type', sa.String(length=16), nullable=False),
    sa.Column('active_substance', sa.String(length=120), nullable=False),
    sa.Column('concentration', sa.String(length=60), nullable=False),
    sa.Column('temperature', sa.Numeric(precision=5, scale=1), nullable=True),
    sa.Column('duration', sa.String(length=60), nullable=False),
    sa.Column('treated_on', sa.Date(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['consignment_id'], ['consignment.id'], name=op.f('fk_consignment_treatment_consignment_id_consignment')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_consignment_treatment_recorded_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consignment_treatment'))
    )
    with op.batch_alter_table('consignment_treatment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consignment_treatment_consignment_id'), ['consignment_id'], unique=False)


def upgrade():
    _reference_tables()
    _consignment_tables()


def downgrade():
    with op.batch_alter_table('consignment_treatment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consignment_treatment_consignment_id'))

    op.drop_table('consignment_treatment')
    with op.batch_alter_table('consignment_lot', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consignment_lot_consignment_id'))

    op.drop_table('consignment_lot')
    with op.batch_alter_table('consignment_lab_result', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consignment_lab_result_consignment_id'))

    op.drop_table('consignment_lab_result')
    with op.batch_alter_table('consignment_document', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consignment_document_consignment_id'))

    op.drop_table('consignment_document')
    op.drop_table('consignment_declaration')
    with op.batch_alter_table('consignment_certificate', schema=None) as batch_op:
        batch_op.drop_index('uq_consignment_certificate_original', sqlite_where=sa.text('replaces_id IS NULL'), postgresql_where=sa.text('replaces_id IS NULL'))
        batch_op.drop_index(batch_op.f('ix_consignment_certificate_registration_id'))
        batch_op.drop_index(batch_op.f('ix_consignment_certificate_consignment_id'))

    op.drop_table('consignment_certificate')
    with op.batch_alter_table('consignment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consignment_registration_id'))
        batch_op.drop_index('ix_consignment_queue')
        batch_op.drop_index(batch_op.f('ix_consignment_enterprise_id'))

    op.drop_table('consignment')
    op.drop_table('consignment_certificate_counter')
    op.drop_table('protocol_declaration')
    op.drop_table('border_crossing')
    op.drop_table('market_access')
