"""postgresql tally of applications by state: the registrar's count of every application

`application_state_count` (state, applications), on PostgreSQL only: rows whose sums by state
are the application table's counts, kept by statement triggers on `application` (a row per
state a statement changed; writers only insert, so none waits on another), folded into one
row per state by the daily run, and filled here with the applications already there. The
registrar's list of every application but the drafts counted 94,000 index entries otherwise,
8-10 ms on PostgreSQL (`make bench`); SQLite counts a b-tree's pages in under 1 ms and gets
nothing. The same statements as certtrack/models/postgresql.py; autogenerate leaves them out
(migrations/env.py).

Revision ID: 3d9b6f1e8a47
Revises: 8c1f4e7a2d35
Create Date: 2026-12-05 05:10:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '3d9b6f1e8a47'
down_revision = '8c1f4e7a2d35'
branch_labels = None
depends_on = None

STATE_COUNT_DDL = (
    'CREATE TABLE application_state_count (state VARCHAR(32) NOT NULL, applications BIGINT '
    'NOT NULL)',
    'CREATE OR REPLACE FUNCTION application_state_count_insert() RETURNS trigger LANGUAGE '
    'plpgsql AS $$ BEGIN INSERT INTO application_state_count (state, applications) SELECT '
    'state, sum(change) FROM (SELECT state, 1 AS change FROM new_rows) AS changes GROUP BY '
    'state HAVING sum(change) <> 0; RETURN NULL; END $$',
    'CREATE OR REPLACE FUNCTION application_state_count_update() RETURNS trigger LANGUAGE '
    'plpgsql AS $$ BEGIN INSERT INTO application_state_count (state, applications) SELECT '
    'state, sum(change) FROM (SELECT state, 1 AS change FROM new_rows UNION ALL SELECT state,'
    ' -1 FROM old_rows) AS changes GROUP BY state HAVING sum(change) <> 0; RETURN NULL; END '
    '$$',
    'CREATE OR REPLACE FUNCTION application_state_count_delete() RETURNS trigger LANGUAGE '
    'plpgsql AS $$ BEGIN INSERT INTO application_state_count (state, applications) SELECT '
    'state, sum(change) FROM (SELECT state, -1 AS change FROM old_rows) AS changes GROUP BY '
    'state HAVING sum(change) <> 0; RETURN NULL; END $$',
    'CREATE OR REPLACE FUNCTION application_state_count_truncate() RETURNS trigger LANGUAGE '
    'plpgsql AS $$ BEGIN DELETE FROM application_state_count; RETURN NULL; END $$',
    'CREATE TRIGGER application_state_count_insert AFTER INSERT ON application REFERENCING '
    'NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION '
    'application_state_count_insert()',
    'CREATE TRIGGER application_state_count_update AFTER UPDATE ON application REFERENCING '
    'OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION '
    'application_state_count_update()',
    'CREATE TRIGGER application_state_count_delete AFTER DELETE ON application REFERENCING '
    'OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION '
    'application_state_count_delete()',
    'CREATE TRIGGER application_state_count_truncate AFTER TRUNCATE ON application FOR EACH '
    'STATEMENT EXECUTE FUNCTION application_state_count_truncate()',
)
FILL = ('INSERT INTO application_state_count (state, applications) '
        'SELECT state, count(*) FROM application GROUP BY state')
DROP = (
    'DROP TRIGGER IF EXISTS application_state_count_insert ON application',
    'DROP TRIGGER IF EXISTS application_state_count_update ON application',
    'DROP TRIGGER IF EXISTS application_state_count_delete ON application',
    'DROP TRIGGER IF EXISTS application_state_count_truncate ON application',
    'DROP FUNCTION IF EXISTS application_state_count_insert()',
    'DROP FUNCTION IF EXISTS application_state_count_update()',
    'DROP FUNCTION IF EXISTS application_state_count_delete()',
    'DROP FUNCTION IF EXISTS application_state_count_truncate()',
    'DROP TABLE IF EXISTS application_state_count',
)


def upgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    for statement in STATE_COUNT_DDL:
        op.execute(statement)
    op.execute(FILL)


def downgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    for statement in DROP:
        op.execute(statement)
