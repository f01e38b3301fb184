"""The inspector's page in the corrective-actions stage: an overdue action says so in words,
and "Verify the corrective actions" waits until every finding is closed."""

import re
from datetime import timedelta

from certtrack.extensions import db
from certtrack.models import Application
from certtrack.services import corrective_actions, inspections, review
from certtrack.services.applications import local_today
from certtrack.services.inputs import CorrectiveActionInput, FindingInput
from certtrack.services.reference import working_calendar

from factories import make_submitted_application, make_user
from forms import login, post


def test_an_overdue_corrective_action_says_so_in_words_and_verify_waits(ctx, client):
    """Its due date was red and nothing more, and "Verify the corrective actions" stayed a
    button that could only answer with an error."""
    _exporter, application = make_submitted_application()
    inspector = make_user("inspector")
    review.start_review(inspector, application)
    review.accept_remaining_documents(inspector, application)
    today = local_today()
    inspections.schedule_inspection(inspector, application, "document",
                                    working_calendar().add_working_days(today, 0),
                                    [inspector.id], outside_working_hours=True,
                                    outside_hours_reason="Document review")
    finding = inspections.add_finding(inspector, application, FindingInput.from_mapping({
        "requirement": "Pest control", "observation": "Traps missing", "clause": "",
        "severity": "major"}))
    inspections.record_inspection(inspector, application, today, {
        item.key: {"answer": "yes", "note": ""}
        for item in inspections.checklist_for(application)})
    corrective_actions.require_corrective_actions(inspector, application, {
        finding.id: CorrectiveActionInput(
            action="Fix it",
            due_date=working_calendar().add_working_days(today + timedelta(days=7), 0))})
    finding.due_date = today - timedelta(days=1)
    db.session.commit()

    login(client, inspector.email)
    page = client.get(f"/inspector/applications/{application.id}").get_data(as_text=True)
    row = page[page.index(f'<tr id="finding-{finding.id}">'):]
    assert re.search(r'<span class="overdue">due [^<]+ — overdue</span>', row[:row.index("</tr>")])
    card = page[page.index('id="action-verify_corrective_actions"'):]
    # reachable by keyboard, its reason read with it; the server refuses it with that reason
    assert ('<button type="submit" class="btn " aria-disabled="true" '
            'aria-describedby="verify-blockers">') in card[:card.index("</section>")]
    assert 'id="verify-blockers"' in card and " disabled" not in card[:card.index("</section>")]
    refused = post(client, f"/inspector/applications/{application.id}/verify_corrective_actions")
    assert refused.status_code == 422
    assert "Pest control" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Application, application.id).state == "corrective_actions"
