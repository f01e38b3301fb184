"""register search index: trigram indexes over enterprise names, BINs and China numbers

The public register's search for a substring read every registration in force and lowercased
its enterprise's four names, BIN and China number (twice a page: the count and the rows).

SQLite: FTS5 tables with the trigram tokenizer over `enterprise` and `registration` (external
content), kept in sync by triggers and filled from the rows already there. PostgreSQL: GIN
indexes with pg_trgm's operator classes, which serve ILIKE '%text%'.

The same objects as certtrack/models/search.py creates with create_all(); autogenerate leaves
them out (migrations/env.py). A later batch migration that copies `enterprise` or
`registration` into a new table must create the table's triggers again.

Revision ID: 7d3f2b8c61a0
Revises: 5a7c0e1d9b42
Create Date: 2026-11-28 05:00:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '7d3f2b8c61a0'
down_revision = '5a7c0e1d9b42'
branch_labels = None
depends_on = None

ENTERPRISE_COLUMNS = ('name_en', 'name_kk', 'name_ru', 'name_zh', 'bin')
REGISTRATION_COLUMNS = ('china_number',)
SEARCHED = (('enterprise_search', 'enterprise', ENTERPRISE_COLUMNS),
            ('registration_search', 'registration', REGISTRATION_COLUMNS))
GIN_INDEXES = (('ix_enterprise_search', 'enterprise', ENTERPRISE_COLUMNS),
               ('ix_registration_search', 'registration', REGISTRATION_COLUMNS))


def _sqlite_statements(name, source, columns):
    listed = ', '.join(columns)
    new = ', '.join(f'new.{c}' for c in columns)
    old = ', '.join(f'old.{c}' for c in columns)
    insert = f'INSERT INTO {name}(rowid, {listed}) VALUES (new.id, {new});'
    delete = f"INSERT INTO {name}({name}, rowid, {listed}) VALUES ('delete', old.id, {old});"
    return (
        f"CREATE VIRTUAL TABLE {name} USING fts5({listed}, "
        f"content='{source}', content_rowid='id', tokenize='trigram')",
        f'CREATE TRIGGER {name}_insert AFTER INSERT ON {source} BEGIN {insert} END',
        f'CREATE TRIGGER {name}_delete AFTER DELETE ON {source} BEGIN {delete} END',
        f'CREATE TRIGGER {name}_update AFTER UPDATE OF {listed} ON {source} '
        f'BEGIN {delete} {insert} END',
        f"INSERT INTO {name}({name}) VALUES ('rebuild')",  # the rows already there
    )


def upgrade():
    dialect = op.get_bind().dialect.name
    if dialect == 'sqlite':
        for name, source, columns in SEARCHED:
            for statement in _sqlite_statements(name, source, columns):
                op.execute(statement)
    elif dialect == 'postgresql':
        op.execute('CREATE EXTENSION IF NOT EXISTS pg_trgm')
        for name, source, columns in GIN_INDEXES:
            operators = ', '.join(f'{c} gin_trgm_ops' for c in columns)
            op.execute(f'CREATE INDEX {name} ON {source} USING gin ({operators})')


def downgrade():
    dialect = op.get_bind().dialect.name
    if dialect == 'sqlite':
        for name, _source, _columns in SEARCHED:
            for suffix in ('insert', 'delete', 'update'):
                op.execute(f'DROP TRIGGER IF EXISTS {name}_{suffix}')
            op.execute(f'DROP TABLE IF EXISTS {name}')
    elif dialect == 'postgresql':
        for name, _source, _columns in GIN_INDEXES:
            op.execute(f'DROP INDEX IF EXISTS {name}')
