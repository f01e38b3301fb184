"""certtrack: China export certification of Kazakh agricultural exporters."""

import os

from flask import Flask

from certtrack import api, cli, extensions, server, tasks, web
from certtrack.config import load_config
from certtrack.services import storage
from certtrack.services.transaction import end_session
from certtrack.web.i18n import select_locale


def create_app(test_config: dict | None = None) -> Flask:
    """Build the application: configuration, extensions, blueprints and commands."""
    app = Flask(__name__, instance_relative_config=True, template_folder="../templates")
    load_config(app, test_config)
    storage.init_app(app)
    os.makedirs(app.instance_path, exist_ok=True)
    extensions.db.init_app(app)
    app.teardown_appcontext(end_session)  # before Flask-SQLAlchemy's, which it leaves nothing
    extensions.migrate.init_app(app, extensions.db, directory=_migrations_dir(app))
    extensions.babel.init_app(app, locale_selector=select_locale)
    web.init_app(app)
    tasks.init_app(app)
    api.init_app(app)
    cli.init_app(app)
    server.quiet_development_server()
    return app


def _migrations_dir(app: Flask) -> str:
    return os.path.join(os.path.dirname(app.root_path), "migrations")
