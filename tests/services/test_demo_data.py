"""The demo data: every application state and registration status, reached through the services.

One database is seeded for the module through `flask seed-demo`, as `make run` does; the tests
only read it (seeding takes seconds)."""

import io
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select, text

from certtrack import create_app
from certtrack.demo import clock
from certtrack.demo.companies import COMPANIES, demo_bin, exporter_email
from certtrack.demo.journey import demo_pdf
from certtrack.demo.seed import (
    DEMO_PASSWORD,
    DEMO_TOTP_SECRETS,
    DEMO_USERS,
    FEATURED_EXPORTERS,
    seed_demo,
)
from certtrack.domain.calendar import reminder_dates, renewal_window
from certtrack.domain.renewal import renewal_regime
from certtrack.domain.workflow import State
from certtrack.extensions import db
from certtrack.models import (
    Application,
    AuditEvent,
    Certificate,
    Consignment,
    ConsignmentCertificate,
    ConsignmentTreatment,
    CorrectionRequest,
    Document,
    Enterprise,
    Establishment,
    Finding,
    GaccBatch,
    Inspection,
    LabResult,
    Notification,
    OutboxEmail,
    Registration,
    Sample,
    User,
)
from certtrack.services import audit, conclusions, registrations, review
from certtrack.services.applications import local_today
from certtrack.services.local_dates import local_day
from certtrack.services.reference import load_reference

from forms import login, post


@pytest.fixture(scope="module")
def demo(database_url, tmp_path_factory):
    """A fresh database seeded by the command; the command's output is kept."""
    app = create_app({
        "TESTING": True, "SECRET_KEY": "demo-secret-key", "SQLALCHEMY_DATABASE_URI": database_url,
        "UPLOAD_FOLDER": str(tmp_path_factory.mktemp("demo-uploads")),
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
    })
    with app.app_context():
        if database_url.startswith("sqlite"):
            db.create_all()
        load_reference()
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    yield SimpleNamespace(app=app, output=result.output)
    with app.app_context():
        db.session.remove()
        if database_url.startswith("postgresql"):
            tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
            db.session.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
            db.session.commit()
        db.engine.dispose()


@pytest.fixture
def seeded(demo):
    """A request context on the seeded database, for calling services."""
    with demo.app.test_request_context():
        yield demo


def _user(email: str) -> User:
    return db.session.scalar(select(User).where(User.email == email))


def _states() -> dict[str, int]:
    return dict(db.session.execute(select(Application.state, func.count())
                                   .group_by(Application.state)).all())


def _one(state: State) -> Application:
    return db.session.scalars(select(Application).where(Application.state == state)
                              .order_by(Application.id)).first()


def _queue_states(email: str) -> set[str]:
    query = review.queue_query(_user(email), review.QueueFilters())
    return {application.state for application in db.session.scalars(query)}


def test_the_seed_reaches_every_state_with_what_each_state_implies(seeded):
    assert set(_states()) == {state.value for state in State}
    assert db.session.scalars(select(CorrectionRequest.deficiencies).where(
        CorrectionRequest.application_id == _one(State.returned).id)).one()
    assert db.session.scalar(select(func.count()).select_from(Finding).where(
        Finding.application_id == _one(State.inspected).id)) == 2
    evidence = db.session.scalars(select(Finding.status).where(
        Finding.application_id == _one(State.corrective_actions).id)).all()
    assert sorted(evidence) == ["evidence_submitted", "open"]
    assert all(db.session.scalar(select(func.count()).select_from(Sample).where(
        Sample.application_id == a.id)) for a in db.session.scalars(
        select(Application).where(Application.state == State.lab_testing)))
    verdicts = db.session.scalars(select(LabResult.verdict).where(
        LabResult.application_id == _one(State.conclusion_positive).id)).all()
    assert verdicts and set(verdicts) == {"compliant"}
    assert "non_compliant" in db.session.scalars(select(LabResult.verdict).where(
        LabResult.application_id == _one(State.conclusion_negative).id)).all()
    assert _one(State.submitted_to_gacc).gacc_batch is not None


def test_a_change_of_a_registration_in_force_awaits_gacc(seeded):
    """A change application reaches GACC as new ones do, and its registration stays as it was
    until GACC accepts it: the registrar's list of those awaiting GACC holds one."""
    change = db.session.scalars(select(Application).where(
        Application.kind == "change")).one()
    assert change.state == State.submitted_to_gacc
    assert change.gacc_batch.submitted_on < local_today()
    changed = registrations.registration_of(change)
    assert changed.status == "active" and changed.application_id != change.id
    # it lists the registration's products as they are to be: wheat kept, barley added
    assert [p.product.code for p in change.products] == ["wheat", "barley"]
    assert "barley" not in {p.product.code for p in changed.application.products}


def test_registrations_cover_each_status_and_an_open_renewal_window(seeded):
    by_status = {}
    for registration in db.session.scalars(select(Registration).order_by(Registration.id)):
        by_status.setdefault(registration.status, []).append(registration)
    assert {"active", "suspended", "expired"} <= set(by_status)
    assert all(r.application.state == State.registered for rs in by_status.values() for r in rs)
    suspended = by_status["suspended"][0]
    assert suspended.suspended_until > local_today() and suspended.suspension_reason
    expired = by_status["expired"][0]
    expiry = db.session.scalar(select(AuditEvent).where(
        AuditEvent.object_type == "registration", AuditEvent.object_id == expired.id,
        AuditEvent.action == "expire", AuditEvent.actor_id.is_(None)))
    # Ended by the daily job on the day after its last valid day (its night, in Kazakhstan),
    # not when the demo loaded.
    assert local_day(expiry.at) == expired.valid_to + timedelta(days=1)
    open_window = [r for r in by_status["active"]
                   if registrations.renewal(r, local_today()).state == "open"]
    assert open_window and open_window[0].regime == "248"
    assert open_window[0].listing_date < date(2026, 6, 1)


def test_no_certificate_is_issued_before_its_registration_was_recorded(seeded):
    """The expired registration's history read "Record the registration" on 3 March, then
    "Certificate issued" on 2 March."""
    for registration in db.session.scalars(select(Registration)):
        events = db.session.scalars(select(AuditEvent).where(
            AuditEvent.application_id == registration.application_id)
            .order_by(AuditEvent.seq)).all()
        recorded = next(e.at for e in events if e.action == "record_registration")
        issued = [e.at for e in events if e.action == "certificate_issued"]
        assert all(at >= recorded for at in issued), registration.china_number


def test_the_audit_chain_holds_and_a_second_seed_does_nothing(seeded):
    report = audit.verify_chain()
    assert report.broken_seq is None and report.checked > 500
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == report.checked
    counts = (_states(), db.session.scalar(select(func.count()).select_from(User)))
    assert seed_demo(only_if_empty=True) is None
    assert (_states(), db.session.scalar(select(func.count()).select_from(User))) == counts


def test_accounts_enterprises_and_the_inspectors_queues(seeded):
    assert _user("exporter@demo.certtrack.kz").enterprise_id is None
    assert db.session.scalar(select(Enterprise.id).where(Enterprise.bin == "940140000385")) is None
    meat = _user("meat@demo.certtrack.kz")
    assert meat.enterprise.bin == "961141000023"
    assert db.session.scalars(select(Application.state).where(
        Application.enterprise_id == meat.enterprise_id)).all() == ["submitted"]
    for company in COMPANIES:
        exporter = _user(exporter_email(company))
        assert exporter.enterprise.bin == demo_bin(company.registered, company.serial)
        assert exporter.enterprise.establishments
    phyto = _queue_states("phyto@demo.certtrack.kz")
    assert {"submitted", "under_review", "returned", "inspection_scheduled", "inspected",
            "corrective_actions", "lab_testing", "conclusion_positive"} <= phyto
    assert {"submitted", "under_review", "inspection_scheduled", "lab_testing"} \
        <= _queue_states("vet@demo.certtrack.kz")
    assert "draft" not in phyto


def test_the_command_prints_the_logins_once(demo):
    assert DEMO_PASSWORD in demo.output
    for role, email, *_rest in DEMO_USERS:
        assert f"{role:<10} {email}" in demo.output
    for email in FEATURED_EXPORTERS:  # the README's table points to them
        assert f"exporter   {email}" in demo.output
    again = demo.app.test_cli_runner().invoke(args=["seed-demo", "--if-empty"])
    assert again.exit_code == 0
    assert "already has accounts" in again.output and "phyto@demo.certtrack.kz" in again.output


def test_the_command_prints_each_staff_login_with_its_totp_secret(demo):
    for email, secret in DEMO_TOTP_SECRETS.items():
        line = next(line for line in demo.output.splitlines() if f" {email}" in line)
        assert line.endswith(f"TOTP secret {secret}")
        with demo.app.app_context():
            assert _user(email).has_totp and _user(email).totp_secret == secret
    assert "exporter@demo.certtrack.kz" in demo.output
    assert "TOTP" not in next(line for line in demo.output.splitlines()
                              if " exporter@demo.certtrack.kz" in line)


def test_totp_code_prints_a_code_the_sign_in_accepts(demo):
    result = demo.app.test_cli_runner().invoke(args=["totp-code", "admin@demo.certtrack.kz"])
    assert result.exit_code == 0, result.output
    code = result.output.strip()
    assert len(code) == 6 and code.isdigit()
    client = demo.app.test_client()
    response = post(client, "/login", {"email": "admin@demo.certtrack.kz",
                                       "password": DEMO_PASSWORD, "code": code})
    assert response.status_code == 302
    assert client.get("/admin/users").status_code == 200
    refused = demo.app.test_cli_runner().invoke(args=["totp-code", "exporter@demo.certtrack.kz"])
    assert refused.exit_code == 1


def test_seed_demo_refuses_outside_a_demo_machine(database_url, tmp_path):
    app = create_app({"SECRET_KEY": "a production key", "SQLALCHEMY_DATABASE_URI": database_url,
                      "UPLOAD_FOLDER": str(tmp_path)})
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 1
    assert "Refusing to create demo accounts" in result.output


def _application_ids(demo, *states: State) -> list[int]:
    with demo.app.app_context():
        return db.session.scalars(select(Application.id).where(
            Application.state.in_(states)).order_by(Application.id)).all()


def test_every_application_opens_for_the_registrar_and_the_inspectors(demo):
    staff_states = [state for state in State if state != State.draft]
    client = demo.app.test_client()
    login(client, "registrar@demo.certtrack.kz", DEMO_PASSWORD)
    for application_id in _application_ids(demo, *staff_states):
        assert client.get(f"/registrar/applications/{application_id}").status_code == 200
    assert "CKAZ" in client.get("/registrar/registrations").get_data(as_text=True)
    for email in ("phyto@demo.certtrack.kz", "vet@demo.certtrack.kz"):
        client = demo.app.test_client()
        login(client, email, DEMO_PASSWORD)
        queue = client.get("/inspector/")
        assert queue.status_code == 200 and "A-0" in queue.get_data(as_text=True)
        with demo.app.test_request_context():
            visible = [a.id for a in db.session.scalars(
                review.queue_query(_user(email), review.QueueFilters()))]
        for application_id in visible:
            assert client.get(f"/inspector/applications/{application_id}").status_code == 200


def test_exporters_see_their_applications_deficiencies_and_registrations(demo):
    returned = demo.app.test_client()
    login(returned, "qyzyljar-oil@demo.certtrack.kz", DEMO_PASSWORD)
    with demo.app.app_context():
        enterprise_id = _user("qyzyljar-oil@demo.certtrack.kz").enterprise_id
        own = dict(db.session.execute(select(Application.state, Application.id).where(
            Application.enterprise_id == enterprise_id)).all())
    assert set(own) == {"submitted", "returned", "rejected"}
    for application_id in own.values():
        assert returned.get(f"/exporter/applications/{application_id}").status_code == 200
    page = returned.get(f"/exporter/applications/{own['returned']}").get_data(as_text=True)
    assert "Загрузите сертификат HACCP Петропавловского маслозавода." in page
    listed = demo.app.test_client()
    login(listed, "esil-grain@demo.certtrack.kz", DEMO_PASSWORD)
    with demo.app.app_context():
        number = db.session.scalar(select(Registration.china_number).join(Enterprise).where(
            Enterprise.name_en == "Esil Grain Terminal JSC"))
    assert number in listed.get("/exporter/registrations").get_data(as_text=True)


def test_a_visitor_can_verify_the_demo_certificates(demo):
    """The demo's certificates answer each status a visitor may meet: expired (its
    registration ended), suspended, valid, replaced and revoked; their numbers follow the days
    they were issued."""
    with demo.app.app_context():
        rows = db.session.scalars(select(Certificate).order_by(Certificate.id)).all()
        issued = [(c.number, c.verification_code) for c in rows]
        days = [c.issued_at for c in rows]
    assert len(issued) == 5 and days == sorted(days)
    client = demo.app.test_client()
    pages = [client.get(f"/verify/{number}/{code}") for number, code in issued]
    assert [page.status_code for page in pages] == [200] * 5
    statuses = [page.get_data(as_text=True) for page in pages]
    for page, status in zip(statuses, ("Expired", "Suspended", "Valid", "Replaced", "Revoked"),
                            strict=True):
        assert f">{status}<" in page, status


def test_the_demo_has_consignments_in_every_state_and_both_certificates(seeded):
    states = dict(db.session.execute(select(Consignment.state, func.count())
                                     .group_by(Consignment.state)).all())
    assert set(states) == {"draft", "submitted", "under_inspection", "issued", "refused",
                           "withdrawn", "cancelled"}
    # Another wagon's number corrected: the replacement prints the wagon the grain is in.
    corrected = db.session.scalar(select(ConsignmentCertificate).where(
        ConsignmentCertificate.replaces_id.is_not(None)))
    assert "95120606" in corrected.context["lots"][0]["marks"]
    assert "95120069" in corrected.replaces.context["lots"][0]["marks"]
    kinds = set(db.session.scalars(select(ConsignmentCertificate.kind)))
    assert kinds == {"phyto", "vet"}
    refused = db.session.scalar(select(Consignment).where(Consignment.state == "refused"))
    assert refused.registration.status == "suspended"
    assert "тоқтата тұрды" in refused.refusal_reason
    assert refused.registration.china_number in refused.refusal_reason


CYRILLIC = re.compile("[а-яёәғқңөұүһі]", re.IGNORECASE)


def _staff_texts() -> dict[str, list[str]]:
    """What the demo's inspectors and registrars wrote, by where it shows."""
    staff = select(User.id).where(User.role.in_(("inspector", "registrar")))
    written = {
        "consignment refusals": select(Consignment.refusal_reason),
        "deficiencies": select(CorrectionRequest.deficiencies),
        "findings": select(Finding.observation),
        "requirements": select(Finding.requirement),
        "sample matrices": select(Sample.matrix),
        "suspensions": select(Registration.suspension_reason),
        "staff comments": select(AuditEvent.comment).where(AuditEvent.actor_id.in_(staff)),
    }
    return {where: [text for text in db.session.scalars(query) if text]
            for where, query in written.items()}


def test_staff_write_the_demos_texts_in_russian_or_kazakh(seeded):
    """Kazakh inspectors and registrars write in Russian or Kazakh: the demo's refusal of a
    consignment, its deficiencies, findings, a meat sample's matrix and the reasons of the
    audit trail were English."""
    texts = _staff_texts()
    assert all(texts.values()), texts
    english = {where: [text for text in found if not CYRILLIC.search(text)]
               for where, found in texts.items()}
    assert english == {where: [] for where in texts}
    # A laboratory without an account is named as the dossier to GACC prints it: in Latin
    # (it printed "Республиканский фитосанитарный диагностический центр, Астана").
    typed = db.session.scalars(select(Sample.laboratory).where(
        Sample.laboratory_id.is_(None))).all()
    assert typed and not [name for name in typed if CYRILLIC.search(name)]
    refused = db.session.scalar(select(Consignment).where(Consignment.state == "refused"))
    page = seeded.app.test_client()
    login(page, "taraz-et@demo.certtrack.kz", DEMO_PASSWORD)
    shown = page.get(f"/exporter/consignments/{refused.id}").get_data(as_text=True)
    assert "ҚХР Бас кеден басқармасы тоқтата тұрды" in shown  # to a Kazakh exporter, in Kazakh


def test_no_inspection_summary_says_nothing_was_found_beside_its_findings(seeded):
    """The bran's inspection read "no deficiencies found" above its two nonconformities and
    their overdue corrective actions."""
    with_findings = db.session.scalars(select(Inspection).where(
        Inspection.id.in_(select(Finding.inspection_id)))).all()
    assert with_findings
    assert [i.summary_en for i in with_findings if "no deficiencies" in i.summary_en
            or "замечаний нет" in i.summary] == []
    # Each says how many it found, or is the inspector's own words.
    assert all(i.summary_en for i in with_findings)


def test_every_demo_establishment_is_named_in_chinese_on_chinese_pages(seeded):
    """The Chinese queues and the exporter's enterprise page showed "Zhitikara elevator",
    "Bulayevo elevator" and "Esik dairy farm" in English: not yet registered, they had no
    Chinese name."""
    assert db.session.scalars(select(Establishment.name_en).where(
        Establishment.name_zh == "")).all() == []


def test_every_registered_demo_establishment_has_its_chinese_name(demo):
    """GACC lists an establishment under its Chinese name too: the Ridder honey house, listed
    and in its renewal window, showed in English on the Chinese register."""
    with demo.app.app_context():
        unnamed = db.session.scalars(select(Establishment.name_en).join(
            Registration, Registration.establishment_id == Establishment.id).where(
            Establishment.name_zh == "")).all()
    assert unnamed == []
    visitor = demo.app.test_client()
    assert post(visitor, "/language", {"locale": "zh"}).status_code == 302
    page = visitor.get("/register").get_data(as_text=True)
    assert "里德尔蜂蜜加工间" in page and "Ridder honey house" not in page


def _ridder() -> Registration:
    """The Ridder honey house's registration, listed 56 months ago: in its renewal window."""
    return db.session.scalar(select(Registration).join(
        Establishment, Registration.establishment_id == Establishment.id).where(
        Establishment.name_en == "Ridder honey house"))


def test_the_honey_house_listed_years_ago_applies_for_its_renewal(seeded):
    """The Ridder honey house, listed and in its renewal window, had a new application under
    review: it is the renewal of its registration, which the exporter's list links."""
    ridder = _ridder()
    (application,) = db.session.scalars(select(Application).where(
        Application.establishment_id == ridder.establishment_id,
        Application.gacc_category_code == ridder.gacc_category_code,
        Application.id != ridder.application_id)).all()
    assert (application.kind, application.renewal_of_id) == ("renewal", ridder.id)
    assert application.state == State.under_review
    client = seeded.app.test_client()
    login(client, "altai-bal@demo.certtrack.kz", DEMO_PASSWORD)
    page = client.get("/exporter/registrations").get_data(as_text=True)
    row = re.search(rf'<tr id="registration-{ridder.id}">.*?</tr>', page, re.S).group(0)
    assert f'href="/exporter/applications/{application.id}"' in row
    assert "/renew" not in row  # no second renewal offered


def test_a_registration_in_its_window_without_a_renewal_offers_one(seeded):
    """The only registration in its window had its renewal begun: no demo exporter was offered
    "Apply for renewal". The Ayagoz slaughterhouse's is, with the window's reminders sent."""
    ayagoz = db.session.scalar(select(Registration).join(
        Establishment, Registration.establishment_id == Establishment.id).where(
        Establishment.name_en == "Ayagoz slaughterhouse"))
    assert registrations.renewal(ayagoz, local_today()).state == "open"
    assert db.session.scalar(select(func.count()).select_from(Application).where(
        Application.renewal_of_id == ayagoz.id)) == 0
    sent = [day for day in _reminder_days(ayagoz) if day <= local_today()]
    assert len(sent) >= 2 and _reminded_on(ayagoz) == sent
    client = seeded.app.test_client()
    login(client, "semey-beef@demo.certtrack.kz", DEMO_PASSWORD)
    page = client.get("/exporter/registrations").get_data(as_text=True)
    row = re.search(rf'<tr id="registration-{ayagoz.id}">.*?</tr>', page, re.S).group(0)
    assert f'action="/exporter/registrations/{ayagoz.id}/renew"' in row
    assert "Ayagoz slaughterhouse" in row and "Apply for renewal" in row


def _reminded_on(registration: Registration) -> list[date]:
    """The days its enterprise's users were reminded of a renewal window."""
    moments = db.session.scalars(select(Notification.created_at).join(
        User, Notification.user_id == User.id).where(
        User.enterprise_id == registration.enterprise_id,
        Notification.kind == "renewal_window",
        Notification.dedupe_key.like(f"renewal:{registration.id}:%"))).all()
    return sorted({moment.astimezone(clock.zone()).date() for moment in moments})


def _reminder_days(registration: Registration) -> list[date]:
    regime = renewal_regime(registration.valid_to)
    return reminder_dates(renewal_window(registration.valid_to, regime,
                                         registration.gacc_category.renewal_list_280))


def test_the_daily_job_ran_on_the_nights_of_the_demos_past(seeded):
    """A renewal window's reminders went out on their days, as the nightly job sends them: the
    demo ran the job on the day it was loaded only, which sent one reminder, dated that day,
    and none before the expired registration's end."""
    expired = db.session.scalar(select(Registration).where(Registration.status == "expired"))
    assert _reminded_on(expired) == _reminder_days(expired)
    assert all(day <= expired.valid_to for day in _reminded_on(expired))
    ridder = _ridder()
    began = db.session.scalar(select(func.min(Application.created_at)).where(
        Application.renewal_of_id == ridder.id)).astimezone(clock.zone()).date()
    before = [day for day in _reminder_days(ridder) if day <= began]
    assert len(before) >= 2 and _reminded_on(ridder) == before  # none once it was begun


def test_every_demo_fumigation_ended_before_its_certificate_was_issued(seeded):
    """The demo's fumigations last 120 hours: a certificate dated while the gas is still in the
    wagon is not one an inspector would sign."""
    rows = db.session.execute(
        select(ConsignmentTreatment.treated_on, ConsignmentTreatment.duration,
               ConsignmentCertificate.issued_on)
        .join(ConsignmentCertificate, ConsignmentCertificate.consignment_id
              == ConsignmentTreatment.consignment_id)).all()
    assert rows
    for treated_on, duration, issued_on in rows:
        assert duration == "120 h"
        assert treated_on + timedelta(days=5) <= issued_on


def _figure(page: str, caption: str) -> str:
    start = page.index(f"<figcaption>{caption}</figcaption>")
    return page[start:page.index("</figure>", start)]


def test_the_dashboard_shows_a_past_median_days_per_stage_and_overdue_work(demo):
    client = demo.app.test_client()
    login(client, "registrar@demo.certtrack.kz", DEMO_PASSWORD)
    page = client.get("/dashboard").get_data(as_text=True)
    medians = _figure(page, "Median days spent in each stage (last 12 months)")
    days = [float(value.replace(",", "")) for value in re.findall(
        r"bar-value\">([\d.,]+) d</span>", medians)]
    assert len(days) >= 8 and all(0 < value < 365 for value in days), days
    assert "Registration in force" not in medians and "Registered in China" not in medians
    overdue = re.search(r'tile-bad" id="overdue"><span class="tile-figure">(\d+)</span> '
                        r'<a href="/registrar/\?overdue=1#all">overdue</a>', page)
    assert overdue and int(overdue.group(1)) >= 1
    weeks = re.findall(r"bar-value\">(\d+)</span>",
                       _figure(page, "Certificates issued per week (week beginning)"))
    assert len([count for count in weeks if int(count)]) >= 4, weeks
    # the time-boxed suspension and the renewal not applied for, which showed nowhere here
    assert "1 renewal to apply for" in page and "1 suspension ending" in page


def test_the_demo_spreads_over_the_past_year_and_nothing_happens_in_the_future(seeded):
    """Its stories run over the past year; an establishment listed years ago applied years
    ago, recommended before its request went to GACC and listed after that (its application
    began after its listing, and its request went before its recommendation, before)."""
    now = datetime.now(UTC)
    listed_recently = select(Registration.application_id).where(
        Registration.listing_date >= local_today() - timedelta(days=200))
    first = db.session.scalar(select(func.min(Application.created_at)).where(
        Application.id.in_(listed_recently) | ~Application.id.in_(select(
            Registration.application_id))))
    last = db.session.scalar(select(func.max(AuditEvent.at)))
    assert now - timedelta(days=366) <= first.replace(tzinfo=UTC) <= now - timedelta(days=270)
    assert last.replace(tzinfo=UTC) <= now
    for registration in db.session.scalars(select(Registration)):
        application = db.session.get(Application, registration.application_id)
        batch = db.session.get(GaccBatch, application.gacc_batch_id)
        recommended = db.session.scalar(select(func.max(AuditEvent.at)).where(
            AuditEvent.object_type == "application", AuditEvent.object_id == application.id,
            AuditEvent.action == "recommend"))
        assert application.created_at.date() < recommended.date() <= batch.submitted_on \
            <= registration.listing_date, application.reference
    reminded = db.session.scalars(select(User.email).join(
        Notification, Notification.user_id == User.id).where(
        Notification.kind == "renewal_window")).all()
    assert "altai-bal@demo.certtrack.kz" in reminded
    phyto = _user("phyto@demo.certtrack.kz")
    queue = db.session.scalars(review.queue_query(phyto, review.QueueFilters())).all()
    assert any(a.stage_deadline and a.stage_deadline < local_today() for a in queue)
    assert any(a.stage_deadline and a.stage_deadline >= local_today() for a in queue)


def test_only_the_inspections_scheduled_ahead_are_done_today(seeded):
    """A beef application was created, given its documents and submitted the minute the demo
    was loaded, and the flour, the honey renewal and the inspection stories ran into the present:
    their lists read "0 working days" in stage, and four results and a conclusion shared one
    minute. Only scheduling the two inspections ahead happens on the day of loading."""
    today = local_today()
    start = datetime.combine(today, datetime.min.time(), tzinfo=clock.zone())
    acted_today = db.session.execute(
        select(AuditEvent.application_id, AuditEvent.action).where(
            AuditEvent.application_id.is_not(None), AuditEvent.at >= start.astimezone(UTC))
    ).all()
    assert {action for _application, action in acted_today} <= {"schedule_inspection"}
    assert len({application for application, _action in acted_today}) <= 2
    # nor was a consignment submitted, or drafted, the minute the demo was loaded
    assert db.session.scalar(select(func.count()).select_from(Consignment).where(
        (Consignment.created_at >= start.astimezone(UTC))
        | (Consignment.submitted_at >= start.astimezone(UTC)))) == 0


def test_the_demo_shows_work_past_its_deadline_and_results_past_their_validity(seeded):
    """The time-based features have an example: a consignment request waiting past its
    deadline, GACC's request answered late, a replaced consignment certificate, and an
    application whose laboratory results expired before the conclusion (which they block)."""
    today = local_today()
    waiting = db.session.scalars(select(Consignment).where(
        Consignment.state == "submitted", Consignment.deadline < today)).all()
    assert waiting
    assert db.session.scalar(select(Application.id).where(
        Application.state == State.gacc_returned, Application.stage_deadline < today))
    (replacement,) = db.session.scalars(select(ConsignmentCertificate).where(
        ConsignmentCertificate.replaces_id.is_not(None))).all()
    original = db.session.get(ConsignmentCertificate, replacement.replaces_id)
    assert original.issued_at < replacement.issued_at
    inspected = db.session.scalars(select(Application).where(
        Application.state == State.inspected)).all()
    blocked = [conclusions.check_conclusion(a).messages for a in inspected]
    assert any("expired" in message for messages in blocked for message in messages), blocked


def test_the_demo_laboratory_signs_in_to_a_wheat_sample_in_testing(seeded):
    """The demo had a laboratory without an account, and no sample was ever sent to it."""
    assert "lab@demo.certtrack.kz" in seeded.output  # printed with the other logins
    client = seeded.app.test_client()
    login(client, "lab@demo.certtrack.kz", DEMO_PASSWORD)
    page = client.get("/laboratory/samples").get_data(as_text=True)
    assert "Astana grain testing laboratory" in page
    assert re.search(r'href="/laboratory/samples/\d+">S-\d{4}-1<', page)


def test_the_demo_veterinary_laboratory_signs_in_to_a_beef_sample_in_testing(seeded):
    """The demo had no veterinary laboratory with an account: the laboratory's pages showed
    grain alone, and every meat sample's results were typed by the inspector."""
    assert "vet-lab@demo.certtrack.kz" in seeded.output
    client = seeded.app.test_client()
    login(client, "vet-lab@demo.certtrack.kz", DEMO_PASSWORD)
    page = client.get("/laboratory/samples").get_data(as_text=True)
    assert "National Veterinary Reference Centre, Astana" in page
    sample = re.search(r'href="(/laboratory/samples/\d+)">S-\d{4}-1<', page)
    form = client.get(sample.group(1)).get_data(as_text=True)
    assert "clenbuterol" in form and "deoxynivalenol" not in form


def test_the_demo_accounts_bear_people_s_names_and_staff_their_official_ones():
    """"Rustem Registrar", "Inessa Phytosanitary": English role words in every history, queue
    and list of a Kazakh or Chinese page, and not the names their certificates print."""
    from certtrack.demo.certificate import DEMO_OFFICIALS

    roles = {"Admin", "Registrar", "Phytosanitary", "Veterinary", "Exporter", "Meat"}
    for _role, email, full_name, _committee, _regions in DEMO_USERS:
        assert not roles & set(full_name.split()), full_name
        if email in DEMO_OFFICIALS:
            assert full_name == DEMO_OFFICIALS[email]["name"]["en"]


README_LANGUAGES = {"Russian": "ru", "Kazakh": "kk", "Chinese": "zh", "—": None}


def _readme_logins() -> list[tuple[str, str, str]]:
    """The README's table of demo logins as (role, e-mail, language) rows."""
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    return re.findall(r"^\| (\w+) \| `([\w.-]+@demo\.certtrack\.kz)` \| ([^|]+?) \|", readme,
                      re.MULTILINE)


def test_the_demo_accounts_have_the_languages_the_readme_gives_them(seeded):
    rows = _readme_logins()
    assert len(rows) >= 10 and ("exporter", "semey-beef@demo.certtrack.kz", "Chinese") in rows
    spoken = {email: README_LANGUAGES[language] for _role, email, language in rows
              if language != "—"}  # "—": the first sign-in's (another test signs in)
    assert len(spoken) >= 5
    assert {email: _user(email).locale for email in spoken} == spoken
    for company in COMPANIES:  # every demo exporter has a language, its e-mails are in it
        assert company.exporter[1] in ("kk", "ru", "zh"), company.key
        assert _user(exporter_email(company)).locale == company.exporter[1]


def test_atbasar_s_reminders_and_expiry_notice_are_in_kazakh(seeded):
    """Its registration expired after its reminders: the e-mails were all in English."""
    subjects = db.session.scalars(select(OutboxEmail.subject).where(
        OutboxEmail.recipient == "atbasar-astyq@demo.certtrack.kz")).all()
    assert len(subjects) >= 3
    assert [s for s in subjects if not CYRILLIC.search(s)] == []


def test_the_printout_lists_every_login_of_the_readme_s_table(demo):
    """semey-beef@, in the README's table, was missing from what `make run` prints."""
    printed = re.findall(r"^  (\w+) +([\w.-]+@demo\.certtrack\.kz)", demo.output, re.MULTILINE)
    table = [(role, email) for role, email, _language in _readme_logins()]
    assert ("exporter", "semey-beef@demo.certtrack.kz") in printed
    assert sorted(printed) == sorted(table)


def test_the_demos_past_happens_in_order(seeded):
    """Each object's history reads in the order its steps were taken: a wheat certificate
    was cancelled on a day before it was issued (the cancellation's story began on a fixed
    day, which the issue's own waits could pass)."""
    rows = db.session.execute(select(AuditEvent.object_type, AuditEvent.object_id,
                                     AuditEvent.action, AuditEvent.at)
                              .where(AuditEvent.object_id.is_not(None))
                              .order_by(AuditEvent.seq)).all()
    last: dict[tuple[str, int], tuple[str, datetime]] = {}
    backwards = []
    for kind, id_, action, at in rows:
        before = last.get((kind, id_))
        if before is not None and at < before[1]:
            backwards.append(f"{kind} {id_}: {action} at {at} after {before[0]} at {before[1]}")
        last[(kind, id_)] = (action, at)
    assert backwards == []


def test_each_demo_inspection_is_carried_out_on_the_day_it_was_scheduled_for(seeded):
    """Every inspection was scheduled "for today" and carried out days later: the exporter's
    notice named the day it was sent, and by its own deadline each would have been overdue."""
    rows = db.session.execute(select(Inspection.scheduled_for, Inspection.performed_on,
                                     Inspection.created_at)
                              .where(Inspection.performed_on.is_not(None))).all()
    assert len(rows) >= 5
    assert [(scheduled, performed) for scheduled, performed, _at in rows
            if scheduled != performed] == []
    assert any(scheduled > local_day(created) for scheduled, _performed, created in rows)


def test_the_demos_consignment_certificates_are_numbered_in_the_order_issued_and_in_time(
        seeded):
    """KZ-PC-2026-000006 was issued in October, before 000003 to 000005: the corrected
    certificate was made after the others though its day came before theirs. And two were
    issued a day or two after their consignments' deadlines."""
    rows = db.session.execute(select(
        ConsignmentCertificate.kind, ConsignmentCertificate.serial,
        ConsignmentCertificate.issued_at, Consignment.deadline, Consignment.id)
        .join(Consignment, Consignment.id == ConsignmentCertificate.consignment_id)
        .order_by(ConsignmentCertificate.kind, ConsignmentCertificate.serial)).all()
    for kind in ("phyto", "vet"):
        days = [issued for k, _serial, issued, _deadline, _c in rows if k == kind]
        assert days and days == sorted(days), kind
    late = [consignment for _k, _s, issued, deadline, consignment in rows
            if deadline is not None and local_day(issued) > deadline]
    assert late == []


def test_each_demo_document_is_a_file_of_its_own(seeded):
    """Every demo document was one 193-byte file: the dossier to GACC listed one SHA-256 for
    all of them, and a PDF opened showed an empty page."""
    rows = db.session.execute(select(Document.application_id, Document.document_type_code,
                                     Document.sha256)).all()
    assert len(rows) > 50
    owners: dict[str, set] = {}
    for application_id, type_code, sha256 in rows:
        owners.setdefault(sha256, set()).add((application_id, type_code))
    assert [owner for owner in owners.values() if len(owner) > 1] == []


def test_a_demo_document_is_a_well_formed_pdf_that_names_itself():
    """The demo's PDFs had no cross-reference table: readers warned of a damaged file."""
    reader = PdfReader(io.BytesIO(demo_pdf("HACCP plan (v2)", "Kokshetau Un LLP", "A-000016")),
                       strict=True)
    assert reader.pages[0].extract_text().splitlines() == [
        "HACCP plan (v2)", "Kokshetau Un LLP", "A-000016"]
