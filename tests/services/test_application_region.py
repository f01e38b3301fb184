"""The application's copy of its establishment's region: set on creation, moved with the
establishment, and what the inspector's queue is filtered by."""

from sqlalchemy import event

from certtrack.extensions import db
from certtrack.models import Application, Establishment
from certtrack.services import applications, enterprises, review
from certtrack.services.enterprises import EstablishmentInput
from certtrack.services.inputs import ApplicationInput
from certtrack.services.permissions import can_see_application, in_inspector_territory
from certtrack.services.review import QueueFilters

from factories import ESTABLISHMENT, QUESTIONNAIRE, make_submitted_application, make_user


def _queue(actor, **filters) -> list[int]:
    return [a.id for a in review.list_queue(actor, QueueFilters(**filters), per_page=100).items]


def _move(exporter, establishment: Establishment, region: str) -> None:
    enterprises.update_establishment(exporter, establishment, EstablishmentInput.from_mapping({
        **ESTABLISHMENT, "region_code": region, "version": establishment.version}))


def test_a_new_application_is_filed_under_its_establishments_region(ctx):
    exporter, application = make_submitted_application(region="KZ-39", submit=False)
    assert application.region_code == application.establishment.region_code == "KZ-39"
    elsewhere = enterprises.add_establishment(
        exporter, EstablishmentInput.from_mapping({**ESTABLISHMENT, "region_code": "KZ-59"}))
    applications.update_application(exporter, application, ApplicationInput.from_mapping({
        **QUESTIONNAIRE, "kind": "new", "gacc_category_code": "edible_grains",
        "establishment_id": elsewhere.id, "version": application.version}))
    db.session.expire_all()
    assert db.session.get(Application, application.id).region_code == "KZ-59"


def test_a_new_region_moves_the_applications_to_that_regions_inspectors(ctx):
    akmola, kostanay = make_user("inspector"), make_user("inspector", regions=["KZ-39"])
    exporter, application = make_submitted_application(region="KZ-11")
    establishment = application.establishment
    draft = applications.create_application(
        exporter, ApplicationInput.from_mapping({  # of the same establishment
        **QUESTIONNAIRE, "gacc_category_code": "oilseeds", "establishment_id": establishment.id}))
    _e, other = make_submitted_application(name="Other Grain", region="KZ-11")
    version = application.version
    assert set(_queue(akmola)) == {application.id, other.id}
    assert _queue(kostanay) == []

    _move(exporter, establishment, "KZ-39")
    db.session.expire_all()
    assert _queue(akmola) == [other.id]
    assert _queue(kostanay) == _queue(kostanay, region="KZ-39") == [application.id]
    moved = db.session.get(Application, application.id)
    assert (moved.region_code, moved.version) == ("KZ-39", version)  # not a stale form
    assert db.session.get(Application, draft.id).region_code == "KZ-39"
    assert db.session.get(Application, other.id).region_code == "KZ-11"
    assert in_inspector_territory(kostanay, moved)
    assert not can_see_application(akmola, moved)


def test_an_unchanged_region_leaves_the_applications_alone(ctx):
    exporter, application = make_submitted_application()
    statements: list[str] = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        _move(exporter, application.establishment, "KZ-11")
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert not [s for s in statements if s.startswith("UPDATE application")]


def test_the_queue_costs_the_same_statements_whatever_its_size(ctx):
    inspector = make_user("inspector")
    exporter, _application = make_submitted_application()

    def statements_of_one_page() -> int:
        db.session.expire_all()
        counted: list[str] = []
        listener = lambda *args: counted.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            page = review.list_queue(inspector, QueueFilters(region="KZ-11"), per_page=20)
            assert all(a.establishment and a.enterprise.en and a.region.en for a in page.items)
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(counted)

    few = statements_of_one_page()
    for _ in range(24):
        make_submitted_application(exporter)
    assert statements_of_one_page() == few
    assert len(_queue(inspector)) == 25

