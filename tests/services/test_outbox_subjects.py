"""A reason typed over several lines now goes into a notice: its line breaks reached the
e-mail's Subject header, which the mail library refuses, and such e-mails, retried first at
every run, held every other e-mail back."""

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from certtrack.extensions import db
from certtrack.models import Notification, OutboxEmail
from certtrack.services import daily, notifications, review, stored_messages

from factories import make_submitted_application, make_user


class FakeSmtp:
    """Stands in for smtplib.SMTP: builds the message as a real server would be handed it."""

    sent: list = []

    def __init__(self, host, port, timeout=None):
        self.host = host

    def starttls(self):
        pass

    def send_message(self, message):
        FakeSmtp.sent.append((message["To"], message["Subject"]))

    def quit(self):
        pass


def test_a_reason_over_several_lines_is_sent_under_a_one_line_subject(ctx, app, monkeypatch):
    exporter, application = make_submitted_application()
    inspector = make_user("inspector")
    review.start_review(inspector, application)
    review.reject_application(inspector, application,
                              "Out of scope:\n- HACCP plan missing\r\n- no protocol")
    email = db.session.scalar(select(OutboxEmail).where(OutboxEmail.recipient == exporter.email))
    assert email.subject == (f"certtrack: Application {application.reference} was rejected: "
                             "Out of scope: - HACCP plan missing - no protocol")
    assert "Out of scope:\n- HACCP plan missing" in email.body  # the body keeps its lines
    FakeSmtp.sent = []
    monkeypatch.setattr("smtplib.SMTP", FakeSmtp)
    app.config.update(MAIL_SERVER="smtp.example.kz", MAIL_FROM="certtrack@example.kz")
    assert daily.send_waiting_emails(app.config) == (1, 0)
    assert FakeSmtp.sent == [(exporter.email, email.subject)]


def test_an_e_mail_that_keeps_failing_does_not_hold_the_others_back(ctx):
    stuck = OutboxEmail(recipient="a@example.kz", subject="certtrack: stuck", body="x",
                        attempts=3)
    fresh = OutboxEmail(recipient="b@example.kz", subject="certtrack: fresh", body="y")
    db.session.add_all([stuck, fresh])
    db.session.commit()
    handed = []
    assert notifications.send_outbox(lambda to, *_: handed.append(to), limit=1) == (1, 0)
    assert handed == ["b@example.kz"]



def test_a_notice_kept_in_a_former_wording_still_reads_in_its_readers_language(ctx):
    """The rejection's and the negative conclusion's notices say why now; one kept before in
    the former wording read in English to a Russian reader."""
    exporter, _application = make_submitted_application()
    for former, russian in (
            (_l("Application %(ref)s was rejected.", ref="A-000001"),
             "Заявка № A-000001 отклонена."),
            (_l("The inspection of application %(ref)s concluded negatively.", ref="A-000001"),
             "По итогам инспекции по заявке № A-000001 вынесено отрицательное заключение.")):
        message_id, args = stored_messages.keep(former)
        note = Notification(user_id=exporter.id, kind="conclusion", message=str(former),
                            message_id=message_id, message_args=args)
        with force_locale("ru"):
            assert notifications.message_of(note) == russian
