"""services.registrar_queues.overview: each queue lists its oldest applications across all of
its states, and the page of every application shares the queues' rows."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from certtrack.extensions import db
from certtrack.models import Application
from certtrack.services import registrar_queues

from factories import make_submitted_application, make_user

START = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)


def _put(application, state: str, days: int) -> None:
    db.session.execute(update(Application).where(Application.id == application.id)
                       .values(state=state, state_changed_at=START + timedelta(days=days)))
    db.session.commit()


def test_a_queue_of_two_states_lists_the_oldest_of_both_in_order(ctx, monkeypatch):
    monkeypatch.setattr(registrar_queues, "QUEUE_LIMIT", 3)
    registrar = make_user("registrar")
    made = [make_submitted_application(name=f"Queue Grain {n}")[1] for n in range(5)]
    # Oldest first: returned (day 1), with GACC (day 2), returned (day 3), with GACC (4, 5).
    for application, (state, days) in zip(made, [
            ("submitted_to_gacc", 5), ("gacc_returned", 3), ("submitted_to_gacc", 2),
            ("gacc_returned", 1), ("submitted_to_gacc", 4)], strict=True):
        _put(application, state, days)

    queue, page = registrar_queues.overview(registrar)

    awaiting = queue["awaiting_gacc"]
    assert awaiting["count"] == 5
    assert [row.id for row in awaiting["applications"]] == [made[3].id, made[2].id, made[1].id]
    assert queue["to_recommend"] == {"count": 0, "applications": []}
    # The list of every application holds all five, with the same rows.
    assert page.total == 5
    assert {row.id for row in page.items} == {a.id for a in made}
    assert {row.state for row in page.items} == {"submitted_to_gacc", "gacc_returned"}
