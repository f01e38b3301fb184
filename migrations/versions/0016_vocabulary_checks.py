"""vocabulary checks: CHECK constraints on the enumerated columns

Every column holding a code of a vocabulary (roles, states, kinds, units, statuses...) may hold
only the codes of its enumeration (certtrack/domain/vocabulary.py, workflow.py, compliance.py);
optional answers may also be NULL or empty. The codes are written out here as they were when
the constraints were made, so that this migration does not change when a vocabulary grows (a
later migration then replaces the constraint).

SQLite recreates each table (batch mode); the register's search triggers on `enterprise` and
`registration` go with the old table and are created again (see certtrack/models/search.py).

Revision ID: 8f4b2d6a1c39
Revises: 3c7e1a9d5b20
Create Date: 2026-12-05 11:00:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '8f4b2d6a1c39'
down_revision = '3c7e1a9d5b20'
branch_labels = None
depends_on = None

STATES = ('draft', 'submitted', 'under_review', 'returned', 'rejected', 'inspection_scheduled',
          'inspected', 'corrective_actions', 'lab_testing', 'conclusion_negative',
          'conclusion_positive', 'recommended', 'submitted_to_gacc', 'gacc_returned',
          'gacc_refused', 'registered', 'withdrawn')
NOTIFICATION_KINDS = ('returned', 'inspection_scheduled', 'corrective_actions', 'results',
                      'conclusion', 'registered', 'gacc_returned', 'gacc_refused', 'suspended',
                      'resumed', 'revoked', 'cancelled', 'invalidated', 'expired',
                      'renewal_window', 'assigned', 'submitted', 'certificate_issued',
                      'certificate_revoked', 'renewed', 'holiday_data',
                      'consignment_certificate_issued')
# table -> ((column, codes, optional), ...)
CHECKS = {
    'user': (('role', ('exporter', 'inspector', 'registrar', 'admin', 'laboratory'), False),
             ('committee', ('phytosanitary', 'veterinary'), True)),
    'gacc_category': (('committee', ('phytosanitary', 'veterinary'), False),),
    'application': (('state', STATES, False),
                    ('kind', ('new', 'renewal', 'change'), False),
                    ('haccp_status', ('none', 'plan', 'certified'), True),
                    ('water_source', ('municipal', 'well', 'surface', 'other'), True)),
    'application_product': (('volume_unit', ('t', 'kg', 'head'), False),),
    'enterprise': (('legal_form', ('llp', 'jsc', 'ie', 'peasant_farm', 'production_cooperative',
                                   'branch', 'other'), False),),
    'establishment': (('type', ('farm', 'elevator', 'flour_mill', 'oilseed_plant', 'feed_mill',
                                'slaughterhouse', 'cutting_plant', 'meat_processor',
                                'cold_store', 'dairy', 'honey_packing'), False),),
    'document': (('review_status', ('pending', 'accepted', 'rejected'), False),),
    'correction_request': (('source', ('inspection', 'gacc'), False),),
    'inspection': (('mode', ('document', 'video', 'on_site'), False),),
    'finding': (('severity', ('critical', 'major', 'minor'), False),
                ('status', ('open', 'evidence_submitted', 'closed'), False)),
    'lab_limit': (('kind', ('max', 'not_detected', 'absent'), False),
                  ('confidence', ('V', 'S', 'U'), False)),
    'lab_result': (('verdict', ('compliant', 'non_compliant', 'below_loq'), False),),
    'registration': (('status', ('active', 'suspended', 'revoked', 'cancelled', 'expired',
                                 'invalidated'), False),
                     ('route', ('under_guarantee', 'after_gacc_inspection'), False),
                     ('regime', ('248', '280'), False),
                     ('suspension_authority', ('gacc', 'kazakh_authority', 'voluntary'), True)),
    'notification': (('kind', NOTIFICATION_KINDS, False),),
}
SEARCH_TRIGGERS = {
    'enterprise': ('enterprise_search', ('name_en', 'name_kk', 'name_ru', 'name_zh', 'bin')),
    'registration': ('registration_search', ('china_number',)),
}


def _condition(column, codes, optional):
    listed = ', '.join(f"'{code}'" for code in (*codes, *([''] if optional else [])))
    condition = f'{column} IN ({listed})'
    return f'{column} IS NULL OR {condition}' if optional else condition


def _search_triggers(source):
    name, columns = SEARCH_TRIGGERS[source]
    listed = ', '.join(columns)
    new = ', '.join(f'new.{c}' for c in columns)
    old = ', '.join(f'old.{c}' for c in columns)
    insert = f'INSERT INTO {name}(rowid, {listed}) VALUES (new.id, {new});'
    delete = f"INSERT INTO {name}({name}, rowid, {listed}) VALUES ('delete', old.id, {old});"
    return (
        f'DROP TRIGGER IF EXISTS {name}_insert',
        f'DROP TRIGGER IF EXISTS {name}_delete',
        f'DROP TRIGGER IF EXISTS {name}_update',
        f'CREATE TRIGGER {name}_insert AFTER INSERT ON {source} BEGIN {insert} END',
        f'CREATE TRIGGER {name}_delete AFTER DELETE ON {source} BEGIN {delete} END',
        f'CREATE TRIGGER {name}_update AFTER UPDATE OF {listed} ON {source} '
        f'BEGIN {delete} {insert} END',
        f"INSERT INTO {name}({name}) VALUES ('rebuild')",
    )


def _after_batch(table):
    if op.get_bind().dialect.name == 'sqlite' and table in SEARCH_TRIGGERS:
        for statement in _search_triggers(table):
            op.execute(statement)


def _refuse_unknown_codes():
    """Stop before changing anything when a row holds a code outside its vocabulary."""
    bind, found = op.get_bind(), []
    for table, columns in CHECKS.items():
        for column, codes, optional in columns:
            rows = bind.exec_driver_sql(
                f'SELECT DISTINCT {column} FROM "{table}" '
                f'WHERE NOT ({_condition(column, codes, optional)})').all()
            found += [f'{table}.{column} = {value!r}' for (value,) in rows]
    if found:
        raise RuntimeError('Correct these values before upgrading: ' + '; '.join(found))


def upgrade():
    _refuse_unknown_codes()
    for table, columns in CHECKS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column, codes, optional in columns:
                batch_op.create_check_constraint(f'{column}_allowed',
                                                 _condition(column, codes, optional))
        _after_batch(table)


def downgrade():
    for table, columns in CHECKS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column, _codes, _optional in columns:
                batch_op.drop_constraint(batch_op.f(f'ck_{table}_{column}_allowed'),
                                     type_='check')
        _after_batch(table)
