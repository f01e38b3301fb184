"""services.review.list_queue: scope, filters, sorting and pagination of the staff queue."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from certtrack.extensions import db
from certtrack.models import Application
from certtrack.services import applications, review
from certtrack.services.review import QueueFilters

from factories import make_submitted_application, make_user


def _set(application, **values) -> None:
    db.session.execute(update(Application).where(Application.id == application.id)
                       .values(**values))
    db.session.commit()


def _ids(actor, **filters) -> list[int]:
    return [a.id for a in review.list_queue(actor, QueueFilters(**filters), per_page=100).items]


def test_drafts_never_appear_in_a_staff_queue(ctx):
    inspector, registrar = make_user("inspector"), make_user("registrar")
    _e, draft = make_submitted_application(submit=False)
    _e, submitted = make_submitted_application(name="Submitted LLP")
    assert _ids(inspector) == [submitted.id]
    assert _ids(registrar) == [submitted.id]
    assert _ids(inspector, state="draft") == [submitted.id]  # an unknown filter is ignored
    assert draft.state == "draft"


def test_the_scope_is_committee_and_region_or_assignment(ctx):
    vet = make_user("inspector", committee="veterinary", regions=["KZ-39"])
    _e, grain = make_submitted_application()
    _e, meat_here = make_submitted_application(name="Meat KZ-39", category="meat",
                                               product="beef_chilled", region="KZ-39")
    _e, meat_elsewhere = make_submitted_application(name="Meat KZ-11", category="meat",
                                                    product="beef_chilled")
    assert _ids(vet) == [meat_here.id]
    _set(grain, assignee_id=vet.id)
    assert sorted(_ids(vet)) == sorted([meat_here.id, grain.id])
    assert meat_elsewhere.id not in _ids(vet)
    assert _ids(vet, mine=True) == [grain.id]


def test_overdue_counts_only_open_work_past_its_deadline(ctx):
    inspector = make_user("inspector")
    today = applications.local_today()
    _e, late = make_submitted_application(name="Late")
    _e, due_today = make_submitted_application(name="Due today")
    _e, closed = make_submitted_application(name="Closed")
    _set(late, stage_deadline=today - timedelta(days=1))
    _set(due_today, stage_deadline=today)
    _set(closed, stage_deadline=today - timedelta(days=5), state="rejected")
    assert _ids(inspector, overdue=True) == [late.id]


def test_sorting_by_deadline_age_and_enterprise(ctx):
    inspector = make_user("inspector")
    today = applications.local_today()
    _e, zeta = make_submitted_application(name="Zeta Grain")
    _e, alpha = make_submitted_application(name="Alpha Grain")
    _e, mid = make_submitted_application(name="Mid Grain")
    _set(zeta, stage_deadline=today + timedelta(days=1),
         state_changed_at=datetime(2026, 1, 3, tzinfo=UTC))
    _set(alpha, stage_deadline=None, state_changed_at=datetime(2026, 1, 1, tzinfo=UTC))
    _set(mid, stage_deadline=today + timedelta(days=4),
         state_changed_at=datetime(2026, 1, 2, tzinfo=UTC))
    assert _ids(inspector, sort="deadline") == [zeta.id, mid.id, alpha.id]
    assert _ids(inspector, sort="age") == [alpha.id, mid.id, zeta.id]
    assert _ids(inspector, sort="enterprise") == [alpha.id, mid.id, zeta.id]
    assert _ids(inspector, sort="nonsense") == [zeta.id, mid.id, alpha.id]


def test_enterprise_sorting_follows_the_name_shown_in_the_language(ctx):
    inspector = make_user("inspector")
    _e, first = make_submitted_application(name="Zeta Grain")
    _e, second = make_submitted_application(name="Alpha Grain")
    first.enterprise.name_ru = "Альфа"
    db.session.commit()
    # In Russian, Zeta is shown as "Альфа" and the other falls back to its English name.
    assert _ids(inspector, sort="enterprise", locale="ru") == [second.id, first.id]
    assert _ids(inspector, sort="enterprise", locale="en") == [second.id, first.id]
    second.enterprise.name_ru = "Яблоко"
    db.session.commit()
    assert _ids(inspector, sort="enterprise", locale="ru") == [first.id, second.id]


def test_filters_by_state_region_and_category(ctx):
    inspector = make_user("inspector", regions=["KZ-11", "KZ-39"])
    _e, wheat = make_submitted_application()
    _e, soy = make_submitted_application(name="Soy", category="oilseeds", product="soybeans",
                                         region="KZ-39")
    review.start_review(inspector, soy)
    assert _ids(inspector, state="under_review") == [soy.id]
    assert _ids(inspector, region="KZ-11") == [wheat.id]
    assert _ids(inspector, category="oilseeds") == [soy.id]
    assert _ids(inspector, category="oilseeds", region="KZ-11") == []


def test_the_filter_choices_are_the_inspectors_own(ctx):
    inspector = make_user("inspector", regions=["KZ-39", "KZ-11"])
    regions, categories = review.queue_choices(inspector)
    assert [r.code for r in regions] == ["KZ-11", "KZ-39"]
    assert {c.code for c in categories} == {"edible_grains", "milled_grain", "oilseeds",
                                            "dried_beans", "feed"}
    regions, categories = review.queue_choices(make_user("registrar"))
    assert len(regions) == 20 and len(categories) == 8


def test_pages_hold_per_page_rows(ctx):
    inspector = make_user("inspector")
    exporter, _first = make_submitted_application()
    for _ in range(4):
        make_submitted_application(exporter)
    first = review.list_queue(inspector, QueueFilters(sort="age"), page=1, per_page=2)
    last = review.list_queue(inspector, QueueFilters(sort="age"), page=3, per_page=2)
    assert (first.total, len(first.items), len(last.items), first.pages) == (5, 2, 1, 3)
