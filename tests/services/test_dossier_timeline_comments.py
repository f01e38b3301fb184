"""The dossier's timeline prints a decision's comment only when GACC reads its script: the
inspector's Kazakh or Russian words to the exporter printed in Cyrillic in a dossier that is
English with Chinese."""

from certtrack.services import dossier_context
from certtrack.services.audit import record_event
from certtrack.services.transaction import transaction

from factories import make_submitted_application, make_user


def test_a_decisions_comment_in_cyrillic_is_left_out_and_one_in_english_printed(ctx):
    _exporter, application = make_submitted_application()
    inspector = make_user("inspector")
    with transaction():
        for comment in ("Нет плана ХАССП на русском языке.", "HACCP plan missing.",
                        "缺少HACCP计划。"):
            record_event(inspector, "return_for_corrections", object_type="application",
                         object_id=application.id, application_id=application.id,
                         from_state="under_review", to_state="corrections_requested",
                         comment=comment)
    returns = [event["comment"] for event in dossier_context._timeline(application)
               if event["action"].startswith("Returned for corrections")]
    assert returns == ["", "HACCP plan missing.", "缺少HACCP计划。"]
