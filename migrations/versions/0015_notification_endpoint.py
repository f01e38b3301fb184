"""notification endpoint: a notification stores where it leads as an endpoint and its arguments

`notification.link` (a path built when the notification was written) becomes `endpoint` and
`endpoint_args` (JSON): the page builds the link with url_for when it shows the notification,
the e-mail from PUBLIC_BASE_URL with the application's URL map. Existing rows are converted by
the paths the application wrote: /exporter/applications/<id>, /inspector/applications/<id>,
/exporter/registrations and /registrar/registrations/<id>; any other path (none was written) leaves the notification without a
link. The downgrade writes the paths back.

Revision ID: 3c7e1a9d5b20
Revises: a18c0de5a7e1
Create Date: 2026-12-05 10:00:00.000000

"""
import re

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '3c7e1a9d5b20'
down_revision = 'a18c0de5a7e1'
branch_labels = None
depends_on = None

notification = sa.table(
    'notification',
    sa.column('id', sa.Integer()),
    sa.column('link', sa.String(300)),
    sa.column('endpoint', sa.String(64)),
    sa.column('endpoint_args', sa.JSON()),
)

# (pattern of a stored path, endpoint, name of the path's number among the arguments)
PATHS = (
    (re.compile(r'/exporter/applications/(\d+)'), 'exporter.application', 'application_id'),
    (re.compile(r'/inspector/applications/(\d+)'), 'inspector.application', 'application_id'),
    (re.compile(r'/exporter/registrations'), 'exporter.registrations', None),
    (re.compile(r'/registrar/registrations/(\d+)'), 'registrar.registration', 'registration_id'),
)


def endpoint_of(link):
    """The (endpoint, arguments) of a stored path; ('', {}) when it is none of PATHS."""
    for pattern, endpoint, argument in PATHS:
        match = pattern.fullmatch((link or '').split('?')[0])
        if match:
            return endpoint, ({argument: int(match.group(1))} if argument else {})
    return '', {}


def link_of(endpoint, args):
    """The path PATHS' endpoint and arguments stand for; '' when none."""
    paths = {'exporter.application': '/exporter/applications/{application_id}',
             'inspector.application': '/inspector/applications/{application_id}',
             'exporter.registrations': '/exporter/registrations',
             'registrar.registration': '/registrar/registrations/{registration_id}'}
    return paths[endpoint].format(**(args or {})) if endpoint in paths else ''


def upgrade():
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.add_column(sa.Column('endpoint', sa.String(length=64), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('endpoint_args', sa.JSON(), nullable=False,
                                      server_default='{}'))
    bind = op.get_bind()
    rows = bind.execute(sa.select(notification.c.id, notification.c.link)
                        .where(notification.c.link != '')).all()
    for row_id, link in rows:
        endpoint, args = endpoint_of(link)
        bind.execute(notification.update().where(notification.c.id == row_id)
                     .values(endpoint=endpoint, endpoint_args=args))
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_column('link')


def downgrade():
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.add_column(sa.Column('link', sa.String(length=300), nullable=False,
                                      server_default=''))
    bind = op.get_bind()
    rows = bind.execute(sa.select(notification.c.id, notification.c.endpoint,
                                  notification.c.endpoint_args)
                        .where(notification.c.endpoint != '')).all()
    for row_id, endpoint, args in rows:
        bind.execute(notification.update().where(notification.c.id == row_id)
                     .values(link=link_of(endpoint, args)))
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_column('endpoint_args')
        batch_op.drop_column('endpoint')
