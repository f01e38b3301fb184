"""background jobs: failed jobs, job locks, certificates issued before their PDF is ready

`job_failure` keeps the jobs whose every attempt failed, for the administrator's page;
`job_lock` holds the named locks that keep a scheduled job on one server at a time.
`certificate.pdf_id` becomes nullable (the PDF is rendered by a job after the short issuing
transaction) and unique (a certificate never gets a second PDF).

Revision ID: 7d4c2a9e1b17
Revises: c7f3a9d21e16
Create Date: 2026-12-05 10:00:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '7d4c2a9e1b17'
down_revision = 'c7f3a9d21e16'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'job_failure',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('task', sa.String(length=64), nullable=False),
        sa.Column('args', sa.JSON(), nullable=False),
        sa.Column('error', sa.Text(), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('failed_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('retried_at', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_job_failure')),
    )
    op.create_index(op.f('ix_job_failure_failed_at'), 'job_failure', ['failed_at'], unique=False)
    op.create_table(
        'job_lock',
        sa.Column('name', sa.String(length=64), nullable=False),
        sa.Column('holder', sa.String(length=64), nullable=False),
        sa.Column('locked_until', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('name', name=op.f('pk_job_lock')),
    )
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.alter_column('pdf_id', existing_type=sa.Integer(), nullable=True)
        batch_op.create_unique_constraint(batch_op.f('uq_certificate_pdf_id'), ['pdf_id'])


def downgrade():
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_certificate_pdf_id'), type_='unique')
        batch_op.alter_column('pdf_id', existing_type=sa.Integer(), nullable=False)
    op.drop_table('job_lock')
    op.drop_index(op.f('ix_job_failure_failed_at'), table_name='job_failure')
    op.drop_table('job_failure')
