"""issued PDFs in the storage every server sees: stored_pdf keeps a storage key, content optional

Revision ID: 5b8e2d4a7c10
Revises: 6f3fbf432edb
Create Date: 2026-12-04 21:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '5b8e2d4a7c10'
down_revision = '6f3fbf432edb'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('stored_pdf', schema=None) as batch_op:
        batch_op.add_column(sa.Column('storage_key', sa.String(length=80), nullable=True))
        batch_op.alter_column('content', existing_type=sa.LargeBinary(), nullable=True)


def downgrade():
    # The earlier schema holds every PDF's bytes in its row: refused while some are only in the
    # storage (copy them into `content` first), rather than losing them.
    held_elsewhere = op.get_bind().scalar(
        sa.text("SELECT count(*) FROM stored_pdf WHERE content IS NULL"))
    if held_elsewhere:
        raise RuntimeError(f"{held_elsewhere} stored PDFs are only in the storage: copy their "
                           "bytes into stored_pdf.content before this downgrade")
    with op.batch_alter_table('stored_pdf', schema=None) as batch_op:
        batch_op.alter_column('content', existing_type=sa.LargeBinary(), nullable=False)
        batch_op.drop_column('storage_key')
