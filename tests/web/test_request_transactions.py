"""How a request's transaction ends: a request that only read commits on PostgreSQL (psycopg
keeps its prepared statements; a rollback would drop them all), anything else rolls back."""

import pytest
from sqlalchemy import event, select, update

from certtrack.extensions import db
from certtrack.models import Region

from factories import make_user
from forms import login

pytestmark = pytest.mark.engine  # run on PostgreSQL too (conftest.py)


@pytest.fixture
def endings(app):
    """The COMMITs and ROLLBACKs the engine sends while the test runs, in order."""
    seen: list[str] = []
    with app.app_context():
        engine = db.engine
    listeners = {"commit": lambda _conn: seen.append("commit"),
                 "rollback": lambda _conn: seen.append("rollback")}
    for name, listener in listeners.items():
        event.listen(engine, name, listener)
    yield seen
    for name, listener in listeners.items():
        event.remove(engine, name, listener)


def _writing_route(app, *, fail: bool) -> None:
    """A public page that renames a region through the session without committing (and
    then fails, with `fail`), as a faulty view could."""
    def rename():
        db.session.execute(update(Region).where(Region.code == "KZ-11")
                           .values(name_en="Renamed by a page"))
        if fail:
            raise RuntimeError("the page failed after writing")
        return "written"

    rename.public = True
    app.add_url_rule(f"/test-rename-{int(fail)}", view_func=rename)


def _region_name(app) -> str:
    with app.app_context():
        return db.session.scalar(select(Region.name_en).where(Region.code == "KZ-11"))


def test_a_page_that_only_read_ends_with_a_commit_on_postgresql(app, client, endings):
    assert client.get("/register").status_code == 200
    postgresql = app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql")
    assert endings[-1:] == (["commit"] if postgresql else ["rollback"])


def test_a_signed_in_page_that_read_ends_with_a_commit_on_postgresql(app, client, endings):
    with app.app_context():
        make_user("exporter", "reader@example.kz")
    login(client, "reader@example.kz")
    endings.clear()
    assert client.get("/exporter/").status_code == 200
    postgresql = app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql")
    assert endings[-1:] == (["commit"] if postgresql else ["rollback"])


@pytest.mark.parametrize("fail", [False, True])
def test_a_write_no_one_committed_is_rolled_back(app, client, endings, fail):
    _writing_route(app, fail=fail)
    before = _region_name(app)
    endings.clear()
    if fail:  # the tests' client raises the page's error instead of answering 500
        with pytest.raises(RuntimeError):
            client.get("/test-rename-1")
    else:
        assert client.get("/test-rename-0").status_code == 200
    assert "rollback" in endings and "commit" not in endings
    assert _region_name(app) == before != "Renamed by a page"


def test_what_a_context_read_stays_readable_after_it_ends(app):
    with app.app_context():
        region = db.session.get(Region, "KZ-11")
    assert region.name_en  # detached as it was loaded, not expired by the commit
