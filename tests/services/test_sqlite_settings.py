"""SQLite runs in WAL mode with a busy timeout and enforced foreign keys (docs/security.md
item 20), on every connection the application opens (an SQLite file, whatever database the
rest of the suite runs on)."""

from sqlalchemy import text

from certtrack import create_app
from certtrack.extensions import db


def test_every_sqlite_connection_has_wal_a_busy_timeout_and_foreign_keys(tmp_path):
    app = create_app({"TESTING": True, "SECRET_KEY": "x",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'settings.sqlite3'}"})
    with app.app_context():
        for _ in range(2):  # a new connection after the pool is emptied says the same
            with db.engine.connect() as connection:
                assert connection.scalar(text("PRAGMA journal_mode")) == "wal"
                assert connection.scalar(text("PRAGMA busy_timeout")) >= 5000
                assert connection.scalar(text("PRAGMA foreign_keys")) == 1
            db.engine.dispose()
