"""A submitted consignment is told to the inspectors who certify it: the veterinary certificate
is due within two working days, and nobody was told one was waiting."""

from sqlalchemy import select

from certtrack.extensions import db
from certtrack.models import Notification
from certtrack.services.consignments import correction, drafts, issue

from consignment_factories import inspect_ready, make_consignment
from factories import make_user


def _told(user) -> list[str]:
    return list(db.session.scalars(select(Notification.message).where(
        Notification.user_id == user.id, Notification.kind == "submitted")))


def test_the_inspectors_of_its_committee_and_region_are_told_and_no_one_else(ctx):
    exporter, _inspector, _registration, consignment = make_consignment("vet", submit=False)
    colleague = make_user("inspector", committee="veterinary", regions=["KZ-11", "KZ-39"])
    elsewhere = make_user("inspector", committee="veterinary", regions=["KZ-39"])
    grain = make_user("inspector", committee="phytosanitary", regions=["KZ-11"])
    gone = make_user("inspector", committee="veterinary", regions=["KZ-11"])
    gone.is_active = False  # disabled
    db.session.commit()
    deadline = drafts.submit_consignment(exporter, consignment)
    db.session.commit()
    (message,) = _told(colleague)
    assert message.startswith(f"Consignment {consignment.reference} was submitted for its "
                              "certificate, due by ")
    assert str(deadline.year) in message
    assert [_told(user) for user in (elsewhere, grain, gone, exporter)] == [[], [], [], []]


def test_a_corrected_consignment_goes_back_to_its_own_inspector(ctx):
    exporter, inspector, _registration, consignment = make_consignment("phyto")
    other = make_user("inspector", committee="phytosanitary", regions=["KZ-11"])
    inspect_ready(inspector, consignment)
    issue.issue_consignment_certificate(inspector, consignment)
    correction.request_correction(exporter, consignment, "Wagon number mistyped on the lot")
    before = len(_told(other))
    drafts.submit_consignment(exporter, consignment)
    db.session.commit()
    assert len(_told(inspector)) == 1 and len(_told(other)) == before


def test_a_corrected_consignment_whose_inspector_left_goes_to_the_queue(ctx):
    """Its own inspector disabled (or moved to another committee), the notice went to them
    and reached nobody who could act."""
    exporter, inspector, _registration, consignment = make_consignment("phyto")
    other = make_user("inspector", committee="phytosanitary", regions=["KZ-11"])
    inspect_ready(inspector, consignment)
    issue.issue_consignment_certificate(inspector, consignment)
    correction.request_correction(exporter, consignment, "Wagon number mistyped on the lot")
    inspector.is_active = False
    db.session.commit()
    before = len(_told(other))
    drafts.submit_consignment(exporter, consignment)
    db.session.commit()
    assert len(_told(other)) == before + 1
    assert len(_told(inspector)) == 0
