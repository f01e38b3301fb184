"""The background jobs: certificate PDFs (export eligibility, phytosanitary and veterinary),
dossiers, e-mails, webhooks and the daily run.

Each job calls one service and is idempotent: the services check what is already done. Jobs
that fail are retried with exponential backoff (10 s, 20 s, 40 s ...); the last failure is kept
for the administrators (certtrack.tasks). Periodic jobs run in the worker's scheduler.
"""

from datetime import timedelta

from flask import current_app
from huey import crontab

from certtrack.services import certificate_pdf, dossiers, queue, scheduled, webhooks
from certtrack.services.applications import local_today
from certtrack.services.consignments import printing
from certtrack.tasks import huey, in_app

RETRIES = 5
RETRY_DELAY = 10  # seconds before the first retry, doubled before each next one
BACKOFF = 2
# A certificate still without a PDF this long after its issue lost its job (a worker killed
# mid-render): it is queued again.
RESCUE_AFTER = timedelta(minutes=5)


def _job(name: str):
    return huey.task(name=name, retries=RETRIES, retry_delay=RETRY_DELAY,
                     retry_backoff=BACKOFF)


@_job("render_certificate")
@in_app
def render_certificate(certificate_id: int) -> bool:
    """Render, store and attach a certificate's PDF (certificate_pdf.render_pending_certificate)."""
    return certificate_pdf.render_pending_certificate(certificate_id)


@_job("render_consignment_certificate")
@in_app
def render_consignment_certificate(certificate_id: int) -> bool:
    """Render, store and attach a phytosanitary or veterinary certificate's PDF
    (consignments.printing.render_pending_consignment_certificate)."""
    return printing.render_pending_consignment_certificate(certificate_id)


@_job("generate_dossier")
@in_app
def generate_dossier(actor_id: int, application_id, batch_id, version: int) -> bool:
    """Store one version of an application's or a batch's dossier (dossiers.generate_queued)."""
    return dossiers.generate_queued(actor_id, application_id, batch_id, version)


@_job("send_emails")
@in_app
def send_emails():
    """Send the outbox over SMTP when MAIL_SERVER is set."""
    return scheduled.send_emails(current_app.config)


@_job("deliver_webhooks")
@in_app
def deliver_webhooks():
    """Post the webhook deliveries that are due (webhooks.deliver_due); return (sent, failed)."""
    return webhooks.deliver_due()


@in_app
def rescue_certificates(older_than: timedelta = RESCUE_AFTER) -> int:
    """Queue again the render of every certificate (of export eligibility or of a
    consignment) whose PDF is overdue; return how many."""
    pending = certificate_pdf.pending_certificate_ids(older_than)
    for certificate_id in pending:
        render_certificate(certificate_id)
    consignments = printing.pending_consignment_certificate_ids(older_than)
    for certificate_id in consignments:
        render_consignment_certificate(certificate_id)
    return len(pending) + len(consignments)


@in_app
def run_daily_job():
    """The daily run for today in Kazakhstan, unless another server holds its lock."""
    return scheduled.run_daily_once(local_today(), current_app.config)


@huey.periodic_task(crontab(minute="*"), name="send_emails_every_minute")
def _send_emails_every_minute():
    send_emails.call_local()


@huey.periodic_task(crontab(minute="*"), name="deliver_webhooks_every_minute")
def _deliver_webhooks_every_minute():
    deliver_webhooks.call_local()


@huey.periodic_task(crontab(minute="*/5"), name="rescue_certificates")
def _rescue_certificates():
    rescue_certificates()


# 19:30 UTC is 00:30 in Kazakhstan: one zone, UTC+5, across the country since 1 March 2024
# (Asia/Almaty in the IANA time zone database from release 2024a).
@huey.periodic_task(crontab(hour="19", minute="30"), name="daily", retries=2, retry_delay=600)
def _daily():
    run_daily_job()


# Every job by its name, the scheduled ones too: a job that failed for good is run again from
# the administrators' page by that name (the daily run's failure was listed, and its Retry
# answered "No such failed job").
for _task in (render_certificate, render_consignment_certificate, generate_dossier, send_emails,
              deliver_webhooks, _send_emails_every_minute, _deliver_webhooks_every_minute,
              _rescue_certificates, _daily):
    queue.register(_task.name, _task, _task.call_local)
