"""An inspector disabled, given another role or moved to another committee no longer holds
open applications: they are unassigned (audited), for the inspectors of their queue to take,
and the administrator is told before and after. They stayed with the person, who kept seeing
and acting on another committee's applications."""

import html

import pytest
from sqlalchemy import select
from test_admin import edit_body

from certtrack.extensions import db
from certtrack.models import Application, AuditEvent
from certtrack.services import review

from factories import make_application_for_lab, make_bin, make_user
from forms import flashes, login, post

NOTICE = ("1 application under inspection is assigned to this inspector. Disabling the "
          "account, another role or another committee unassigns it, for an inspector of its "
          "queue to take.")


@pytest.fixture
def admin(ctx, client):
    user = make_user("admin", "root@example.kz", full_name="Root Admin")
    login(client, user.email)
    return user


@pytest.fixture
def assigned(ctx):
    """An inspector with an application under inspection assigned by a registrar, one they
    concluded (now the registrar's) and one rejected."""
    _exporter, inspector, application = make_application_for_lab("inspected")
    registrar = make_user("registrar")
    review.assign_inspector(registrar, application, inspector.id)
    kept = [make_application_for_lab(state, bin_=make_bin(4711 + n))[2]
            for n, state in enumerate(("conclusion_positive", "rejected"))]
    for other in kept:
        other.assignee_id = inspector.id
    db.session.commit()
    return inspector, application, kept


def assignee_of(application) -> int | None:
    db.session.expire_all()
    return db.session.get(Application, application.id).assignee_id


def page(response) -> str:
    return html.unescape(response.get_data(as_text=True))


@pytest.mark.parametrize("changes", [
    {"is_active": None, "reason": "Left the ministry", "confirm_disable": "y"},
    {"committee": "veterinary"},
    {"role": "registrar", "committee": "", "regions": [], "role_reason": "Moved to registry",
     "confirm_role": "y"},
], ids=["disabled", "another committee", "another role"])
def test_the_inspectors_open_applications_are_unassigned(admin, client, assigned, changes):
    inspector, application, kept = assigned
    url = f"/admin/users/{inspector.id}"
    assert NOTICE in page(client.get(url))
    saved = post(client, url, edit_body(inspector, **changes), follow_redirects=True)
    assert saved.status_code == 200
    assert (f"1 application under inspection assigned to this person is unassigned now, for "
            f"an inspector of its queue to take: {application.reference}.") in flashes(page(saved))
    assert assignee_of(application) is None
    # the one they concluded still names them, as the rejected one does
    assert [assignee_of(other) for other in kept] == [inspector.id, inspector.id]
    event = db.session.scalar(select(AuditEvent).where(
        AuditEvent.application_id == application.id,
        AuditEvent.action == "assignment_released"))
    assert (event.actor_id, event.data) == (admin.id, {"previous_assignee_id": inspector.id})
    history = page(client.get(f"/admin/audit?application={application.reference}"))
    assert "Unassigned: the inspector's account changed" in history


def test_an_edit_that_keeps_the_committee_keeps_the_assignments(admin, client, assigned):
    inspector, application, _kept = assigned
    saved = post(client, f"/admin/users/{inspector.id}",
                 edit_body(inspector, full_name="Aigerim N.", regions=["KZ-39"]),
                 follow_redirects=True)
    assert flashes(page(saved)) == ["The account was saved."]
    assert assignee_of(application) == inspector.id  # a registrar may assign out of region


def test_an_inspector_with_nothing_open_gets_no_notice(admin, client, assigned):
    inspector, application, _kept = assigned
    application.state = "rejected"
    db.session.commit()
    assert "is assigned to this inspector" not in page(client.get(f"/admin/users/{inspector.id}"))
