"""Every code of every enumeration has a label, and every label a translation in kk, ru and zh."""

import ast
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from certtrack.domain import vocabulary as v
from certtrack.domain.compliance import LimitKind, Verdict
from certtrack.domain.consignment import INSPECTOR_GROUNDS, CancellationGround, ConsignmentAction
from certtrack.domain.workflow import Action, RegistrationAction, RegistrationStatus, Role, State
from certtrack.extensions import db
from certtrack.models.checks import ENUM_COLUMNS
from certtrack.services.consignments import correction
from certtrack.web import consignment_labels, labels

TRANSLATIONS = Path(__file__).resolve().parent.parent / "certtrack" / "translations"
LABELLED = [
    (State, labels.STATES), (RegistrationStatus, labels.STATES),
    (RegistrationStatus, labels.REGISTRATION_STATUSES), (Action, labels.ACTIONS),
    (RegistrationAction, labels.ACTIONS), (Role, labels.ROLES),
    (v.Committee, labels.COMMITTEES), (v.ApplicationKind, labels.KINDS),
    (v.HaccpStatus, labels.HACCP_STATUSES), (v.WaterSource, labels.WATER_SOURCES),
    (v.VolumeUnit, labels.VOLUME_UNITS), (v.LegalForm, labels.LEGAL_FORMS),
    (v.EstablishmentType, labels.ESTABLISHMENT_TYPES), (v.ReviewStatus, labels.REVIEW_STATUSES),
    (v.InspectionMode, labels.INSPECTION_MODES), (v.Severity, labels.SEVERITIES),
    (v.FindingStatus, labels.FINDING_STATUSES), (v.Confidence, labels.CONFIDENCES),
    (v.ListingRoute, labels.ROUTES), (v.Regime, labels.REGIMES),
    (v.SuspensionAuthority, labels.SUSPENSION_AUTHORITIES),
    (v.InvalidationCause, labels.INVALIDATION_CAUSES), (LimitKind, labels.LIMIT_KINDS),
    (Verdict, labels.VERDICTS), (v.ChangeRequestStatus, labels.CHANGE_REQUEST_STATUSES),
    (CancellationGround, consignment_labels.CANCELLED_ON),
]


def _msgid(label) -> tuple[str | None, str]:
    """The context and the English source text of a lazy label (lazy_gettext has no context;
    lazy_pgettext's first argument is it)."""
    return (label._args[0], label._args[1]) if len(label._args) == 2 else (None, label._args[0])


def _catalog(locale: str) -> dict[tuple[str | None, str], str]:
    with (TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return {(message.context, message.id): message.string for message in read_po(handle)
                if message.id}


@pytest.mark.parametrize(("enum", "labelled"), LABELLED, ids=lambda x: getattr(x, "__name__", ""))
def test_every_code_has_a_label(enum, labelled):
    assert [code.value for code in enum if code.value not in labelled] == []


@pytest.mark.parametrize("locale", ["kk", "ru", "zh"])
def test_every_label_is_translated(locale):
    catalog = _catalog(locale)
    untranslated = sorted({_msgid(labelled[code.value]) for enum, labelled in LABELLED
                           for code in enum if not catalog.get(_msgid(labelled[code.value]))})
    assert untranslated == []


def test_a_missing_label_stops_the_labels_from_loading():
    with pytest.raises(ValueError, match="missing \\['plan'\\]"):
        labels.labelled(v.HaccpStatus, {"none": "None", "certified": "Certified"})


def _application_events() -> set[str]:
    """The audit actions the code records with an application id, by name: each is a line of
    that application's history."""
    names = set()
    for path in (Path(__file__).resolve().parent.parent / "certtrack").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "record_event"
                    and any(k.arg == "application_id" for k in node.keywords)
                    and len(node.args) > 1 and isinstance(node.args[1], ast.Constant)):
                names.add(node.args[1].value)
    return names


def test_every_event_of_an_applications_history_has_a_label():
    events = _application_events()
    assert {"certificate_issued", "certificate_pdf_stored", "document_uploaded"} <= events
    assert sorted(events - set(labels.ACTIONS)) == []


def _all_events() -> set[str]:
    """Every audit action the code records: the names written out at record_event (and at
    the sign-in's log), and the families named by an f-string over an enumeration."""
    names = set()
    for path in (Path(__file__).resolve().parent.parent / "certtrack").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None)
            position = {"record_event": 1, "_log": 4}.get(name)
            if position is not None and len(node.args) > position and \
                    isinstance(node.args[position], ast.Constant):
                names.add(node.args[position].value)
    names |= {f"consignment_{action.value}" for action in ConsignmentAction}
    names |= {f"document_{status.value}" for status in v.ReviewStatus
              if status.value != "pending"}
    names |= {f"name_change_{status.value}" for status in v.ChangeRequestStatus
              if status.value != "pending"}
    return names


def test_every_recorded_action_has_a_label_for_the_audit_trail():
    """The administrators' trail names every action; 30 read as codes (consignment_lot_added)."""
    events = _all_events()
    assert {"login", "login_failed", "consignment_issue", "user_created"} <= events
    assert sorted(events - set(labels.ACTIONS)) == []


@pytest.mark.parametrize("locale", ["kk", "ru", "zh"])
def test_every_recorded_actions_label_is_translated(locale):
    catalog = _catalog(locale)
    assert sorted(_msgid(labels.ACTIONS[name]) for name in _all_events() & set(labels.ACTIONS)
                  if not catalog.get(_msgid(labels.ACTIONS[name]))) == []


def test_every_code_fits_its_column():
    """SQLite keeps a code longer than its column; PostgreSQL refuses it: the demo's seed
    failed there on a notification kind of 33 characters in a column of 32."""
    for row in ENUM_COLUMNS:
        length = getattr(db.metadata.tables[row.table].c[row.column].type, "length", None)
        too_long = [code for code in v.codes(row.enum) if length and len(code) > length]
        assert not too_long, (row.table, row.column, length, too_long)


def test_every_ground_an_inspector_chooses_has_a_label():
    assert set(consignment_labels.CANCELLATION_GROUNDS) == {g.value for g in INSPECTOR_GROUNDS}
    # …and a notification that tells its exporter on which ground it was cancelled
    assert set(correction._CANCELLED) == {g.value for g in INSPECTOR_GROUNDS}
