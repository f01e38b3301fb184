"""A consignment certificate names the officer who issues it (ISPM 12's "Name of authorized
officer"): an inspector with no official profile printed the committee's name in that box.
The issue waits for the profile, and says where to enter it."""

import pytest

from certtrack.services import officials
from certtrack.services.consignments import issue
from certtrack.services.errors import ValidationFailed
from certtrack.services.inputs import OfficialInput

from consignment_factories import inspect_ready, make_consignment
from factories import make_user
from forms import login

UNSIGNED = ("Your official profile first: the certificate prints the name and position of the "
            "officer who issues it. Enter them on your account page.")


def test_an_inspector_without_an_official_profile_cannot_issue_until_it_is_saved(ctx, client):
    _exporter, _inspector, _registration, consignment = make_consignment("phyto")
    newcomer = make_user("inspector")
    inspect_ready(newcomer, consignment)
    assert issue.issue_refusals(consignment) == []  # nothing about the consignment itself
    assert issue.issue_refusals(consignment, newcomer) == [UNSIGNED]
    login(client, newcomer.email)
    page = client.get(f"/inspector/consignments/{consignment.id}").get_data(as_text=True)
    assert "Your official profile first" in page
    with pytest.raises(ValidationFailed) as refused:
        issue.issue_consignment_certificate(newcomer, consignment)
    assert UNSIGNED in refused.value.errors[""]
    officials.save_official_profile(newcomer, OfficialInput(
        name_kk="Ерлан Садықов", name_en="Yerlan Sadykov", position_kk="Инспектор",
        position_en="Inspector"))
    certificate = issue.issue_consignment_certificate(newcomer, consignment)
    assert certificate.context["officer"]["name"] == "Yerlan Sadykov"
