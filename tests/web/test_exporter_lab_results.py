"""The exporter reads its application's samples and results: one waiting on a result that had
expired said nothing of it on the exporter's page, only the inspector's."""

import html
from datetime import timedelta

from lab_factories import DON, WHEAT_REQUIRED, lab_round

from certtrack.services.applications import local_today

from factories import make_application_for_lab
from forms import login


def test_the_exporter_sees_its_results_and_what_the_conclusion_still_needs(ctx, client):
    exporter, inspector, application = make_application_for_lab("inspected")
    expired = {**WHEAT_REQUIRED[DON], "tested_on": local_today() - timedelta(days=40),
               "valid_days": 30}
    lab_round(inspector, application, {**WHEAT_REQUIRED, DON: expired})
    login(client, exporter.email)
    page = html.unescape(client.get(f"/exporter/applications/{application.id}")
                         .get_data(as_text=True))
    section = page.split('id="laboratory-results">')[1].split("</section>")[0]
    assert "Sample S-1" in section and "cadmium" in section
    blockers = section.split('id="conclusion-blockers">')[1].split("</ul>")[0]
    assert DON in blockers and "expired" in blockers
    assert "expired, does not count" in section  # beside the result itself
    # and whose move it is (the inspector's wording alone left the exporter guessing)
    assert ("The inspector settles these: new samples where a result expired or failed, then "
            "the conclusion.") in section
    assert "/laboratory" not in section and "<form" not in section  # read only


def test_no_section_before_any_sample(ctx, client):
    exporter, _inspector, application = make_application_for_lab("inspected")
    login(client, exporter.email)
    page = client.get(f"/exporter/applications/{application.id}").get_data(as_text=True)
    assert 'id="laboratory-results"' not in page
