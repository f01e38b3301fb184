"""The floor: the cheapest page this stack can serve - one indexed query, a tiny template.

Flask, Flask-SQLAlchemy and Jinja as certtrack uses them, on the bench database, without
certtrack's hooks (session check, CSRF, headers, translations). gunicorn serves it exactly as
it serves certtrack: `gunicorn 'bench.floor:create_app()'`.
"""

import os

from flask import Flask, render_template
from jinja2 import DictLoader
from sqlalchemy import select

from certtrack.extensions import db
from certtrack.models import Enterprise

PATH = "/floor/{bin}"
TEMPLATE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ e.name_en }}</title></head>
<body><h1>{{ e.name_en }}</h1><p>BIN {{ e.bin }} · {{ e.region_code }}</p></body></html>
"""


def create_app(database_url: str | None = None) -> Flask:
    """The floor application on `database_url` (default: CERTTRACK_SQLALCHEMY_DATABASE_URI)."""
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = (
        database_url or os.environ["CERTTRACK_SQLALCHEMY_DATABASE_URI"])
    app.jinja_loader = DictLoader({"floor.html": TEMPLATE})
    db.init_app(app)

    @app.get("/floor/<bin_>")
    def floor(bin_: str):
        """One enterprise by its BIN (a unique index), in a tiny page."""
        row = db.session.execute(select(Enterprise.bin, Enterprise.name_en,
                                        Enterprise.region_code)
                                 .where(Enterprise.bin == bin_)).one()
        return render_template("floor.html", e=row)

    return app
