"""renewal draft deadline: a renewal application still in draft gets its renewal window's last
day (three months before the registration's last valid day, under Decree 248 and Order 280
alike) as its deadline, as a renewal started from now on does

Revision ID: 7c2e9b4d1a58
Revises: 5f1c8d3a7b20
Create Date: 2026-12-06 09:00:00.000000

"""
import calendar
from datetime import date

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '7c2e9b4d1a58'
down_revision = '5f1c8d3a7b20'
branch_labels = None
depends_on = None


def _three_months_before(day: date) -> date:
    year, month_index = divmod(day.month - 1 - 3, 12)
    year, month = day.year + year, month_index + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def upgrade():
    bind = op.get_bind()
    drafts = bind.execute(sa.text(
        "SELECT application.id, registration.valid_to FROM application "
        "JOIN registration ON registration.id = application.renewal_of_id "
        "WHERE application.kind = 'renewal' AND application.state = 'draft' "
        "AND application.stage_deadline IS NULL")).all()
    for application_id, valid_to in drafts:
        if isinstance(valid_to, str):  # SQLite hands dates back as text here
            valid_to = date.fromisoformat(valid_to)
        bind.execute(sa.text("UPDATE application SET stage_deadline = :day WHERE id = :id"),
                     {"day": _three_months_before(valid_to), "id": application_id})


def downgrade():
    """The deadlines stay: a draft's deadline is harmless to the earlier schema."""
