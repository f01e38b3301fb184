"""Flask commands: database, reference data, accounts, demo data and audit checks."""

import json
import secrets
from datetime import timedelta
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_migrate import upgrade

from certtrack.config import DefaultConfig
from certtrack.demo import seed as demo
from certtrack.demo.documents import write_demo_documents
from certtrack.domain.workflow import Role
from certtrack.services import (
    accounts,
    anchors,
    audit,
    laboratories,
    reference,
    seal,
    storage_sweep,
    two_factor,
)
from certtrack.services.applications import local_today
from certtrack.services.errors import ValidationFailed
from certtrack.services.permissions import SYSTEM
from certtrack.services.scheduled import run_daily_once
from certtrack.tasks import worker


@click.command("init-db")
@with_appcontext
def init_db_command():
    """Apply every migration, then load the reference data."""
    upgrade()
    changed = reference.load_reference()
    click.echo(f"Database ready; reference rows changed: {sum(changed.values())}.")


@click.command("load-reference")
@with_appcontext
def load_reference_command():
    """Bring products, regions, documents, holidays and limits in line with the files."""
    changed = reference.load_reference()
    for label, count in changed.items():
        click.echo(f"{label}: {count} changed")


def _refused(error: ValidationFailed) -> None:
    """Print each field's message, then stop with status 1."""
    for field, messages in error.errors.items():
        for message in messages:
            click.echo(f"{field or 'error'}: {message}", err=True)
    raise SystemExit(1) from error


@click.command("create-user")
@click.option("--email", prompt=True)
@click.option("--name", "full_name", prompt="Full name")
@click.option("--role", type=click.Choice([role.value for role in Role]),
              default=Role.admin.value, show_default=True)
@click.option("--committee", type=click.Choice(["phytosanitary", "veterinary"]))
@click.option("--region", "regions", multiple=True, help="ISO 3166-2 code; repeat for several.")
@click.option("--language", type=click.Choice(DefaultConfig.LANGUAGES),
              help="The language of the account's e-mails until the person chooses one "
                   "(English when omitted).")
@click.password_option(help="At least 12 characters; prompted for when omitted.")
@with_appcontext
def create_user_command(email, full_name, role, committee, regions, language, password):
    """Create an account (the first administrator comes from here)."""
    data = accounts.AccountInput(email=email, full_name=full_name, role=role,
                                 committee=committee, regions=list(regions), password=password,
                                 locale=language)
    try:
        user = accounts.create_user(SYSTEM, data)
    except ValidationFailed as error:
        _refused(error)
    click.echo(f"Created {user.role} {user.email}.")


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database has accounts.")
@with_appcontext
def seed_demo_command(if_empty):
    """Create demo accounts and data (never in production: every password is printed)."""
    app = current_app
    if not (app.config["ALLOW_DEMO"] or app.debug or app.testing):
        click.echo("Refusing to create demo accounts: their passwords and second factors are "
                   "public. Set CERTTRACK_ALLOW_DEMO=true on a machine for trying certtrack "
                   "out (`make run` does).", err=True)
        raise SystemExit(1)
    created = demo.seed_demo(only_if_empty=if_empty)
    logins = created["logins"] if created else demo.existing_demo_logins()
    if not created:
        click.echo("The database already has accounts; no demo data added.")
        demo.ensure_demo_factors()
    if logins:
        click.echo(f"Demo accounts (password for all: {demo.DEMO_PASSWORD}; staff also enter "
                   "the code of an authenticator app holding the TOTP secret shown, or print "
                   "one with `flask --app certtrack totp-code EMAIL`):")
    for role, email in logins:
        secret = demo.DEMO_TOTP_SECRETS.get(email)
        click.echo(f"  {role:<10} {email}" + (f"  TOTP secret {secret}" if secret else ""))


@click.command("totp-code")
@click.argument("email")
def totp_code_command(email):
    """Print the current sign-in code of a demo staff account (its secret is public)."""
    secret = demo.DEMO_TOTP_SECRETS.get(email.strip().lower())
    if secret is None:
        click.echo("Only the demo staff accounts have a known secret: "
                   + ", ".join(demo.DEMO_TOTP_SECRETS), err=True)
        raise SystemExit(1)
    click.echo(two_factor.current_code(secret))


@click.command("verify-audit")
@with_appcontext
def verify_audit_command():
    """Recompute the audit chain and check its signed daily anchors; exit 1 at the first broken
    row or on an anchor that fails."""
    report = audit.verify_chain()
    if report.broken_seq is not None:
        click.echo(f"Audit chain BROKEN at row {report.broken_seq}: {report.reason} "
                   f"({report.checked} rows verified before it).", err=True)
        raise SystemExit(1)
    click.echo(f"Audit chain intact: {report.checked} rows verified.")
    checked = anchors.verify_anchors()
    for problem in checked.problems:
        click.echo(f"Audit anchor FAILS: {problem}", err=True)
    if checked.problems:
        raise SystemExit(1)
    click.echo(f"Audit anchors intact: {checked.checked} signed heads match the chain.")


@click.command("export-audit-anchors")
@click.argument("output", type=click.File("w"), default="-")
@with_appcontext
def export_audit_anchors_command(output):
    """Write every signed daily head of the audit chain as JSON lines (to OUTPUT, or the
    terminal): keep them outside the database, so that a rewritten chain shows."""
    for record in anchors.exported():
        output.write(json.dumps(record, sort_keys=True) + "\n")


@click.command("gen-secret-key")
def gen_secret_key_command():
    """Print a fresh random SECRET_KEY for instance/config.py."""
    click.echo(secrets.token_urlsafe(48))


@click.command("daily")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="Run as on this day (YYYY-MM-DD); default: today in Kazakhstan.")
@with_appcontext
def daily_command(today):
    """End or renew registrations as their renewal regime decides, lift ended suspensions, send
    renewal reminders and e-mails, warn before the holiday data runs out; on SQLite, refresh
    the query planner's statistics, on PostgreSQL count the tally of applications by state
    again.
    Does nothing while another server runs it."""
    day = today.date() if today else local_today()
    outcome = run_daily_once(day, current_app.config)
    if outcome is None:
        click.echo("The daily run is in progress on another server; nothing done.")
        return
    report = outcome.report
    click.echo(f"Daily run for {day.isoformat()}:")
    click.echo(f"  registrations expired: {report.expired}")
    click.echo(f"  registrations cancelled (Order 280 renewal window missed): {report.cancelled}")
    click.echo(f"  registrations renewed automatically (Order 280): {report.renewed}")
    click.echo(f"  suspensions lifted: {report.resumed}")
    click.echo(f"  renewal reminders: {report.reminders} (to {report.reminded_users} users)")
    click.echo(f"  laboratory results expired before a conclusion, told: "
               f"{report.expired_results}")
    if report.skipped:
        click.echo(f"  skipped, changed by someone else meanwhile: {report.skipped}")
    click.echo(f"  records older than 90 days purged: {report.sign_ins_purged} failed sign-ins, "
               f"{report.verifications_purged} verifications")
    click.echo(f"  API answers kept for retries, older than a day, purged: "
               f"{report.idempotency_purged}")
    click.echo(f"  audit chain anchored: {report.anchored}")
    if report.calendar_warning:
        click.echo(f"  WARNING: {report.calendar_warning}")
    if outcome.analyzed:
        click.echo("  SQLite query planner statistics refreshed (ANALYZE)")
    if (tally := outcome.recounted) is not None:
        click.echo(f"  PostgreSQL tally of applications by state recounted: {tally.rows_before} "
                   f"rows into {tally.rows_after}")
        if tally.corrected:
            click.echo(f"  WARNING: the tally was off by {tally.corrected} applications (a "
                       "change made with its triggers off, as by a restore?); it is exact again")
    if outcome.emails is not None:
        sent, failed = outcome.emails
        click.echo(f"  e-mails sent: {sent}, failed (retried next run): {failed}")
    else:
        click.echo(f"  e-mails waiting in the outbox: {outcome.waiting} "
                   "(set MAIL_SERVER to send them)")


@click.command("init-seal")
@with_appcontext
def init_seal_command():
    """Create the development seal (a CA and an authority certificate, not valid for export)
    in SEAL_FOLDER unless it exists; a production seal is configured instead (README)."""
    if not seal.development_seal_in_use():
        click.echo("A production seal is configured (SEAL_PKCS12_PATH or SEAL_PKCS11_MODULE); "
                   "no development seal created.")
        return
    folder = current_app.config["SEAL_FOLDER"]
    if seal.init_development_seal():
        click.echo(f"Development seal created in {folder} (DEVELOPMENT SEAL — not valid for "
                   "export).")
    else:
        click.echo(f"Development seal already in {folder}.")


@click.command("demo-documents")
@click.argument("outdir", type=click.Path(file_okay=False, path_type=Path))
@with_appcontext
def demo_documents_command(outdir):
    """Write the demo certificates, a draft preview and a dossier into OUTDIR (no database),
    sealed as issued documents are (the development seal is created when needed)."""
    if seal.development_seal_in_use():
        seal.init_development_seal()
    for path, pages in write_demo_documents(outdir, seal.issue_sealed):
        click.echo(f"{path} ({pages} page{'' if pages == 1 else 's'})")


@click.command("sweep-storage")
@click.option("--older-than", "hours", type=click.IntRange(min=1), default=24, show_default=True,
              help="Leave alone objects written less than this many hours ago.")
@click.option("--delete", is_flag=True, help="Remove them (without it, only list and count).")
@with_appcontext
def sweep_storage_command(hours, delete):
    """Find the stored files that no document, consignment document or issued PDF names (left by
    a request that failed after storing its upload, or by a crash mid-upload) and, with
    --delete, remove those older than --older-than hours."""
    def progress(checked: int) -> None:
        click.echo(f"  {checked:,} objects checked…", err=True)

    report = storage_sweep.sweep(delete=delete, grace=timedelta(hours=hours), progress=progress)
    click.echo(f"Objects checked: {report.checked:,}")
    click.echo(f"Named by no row: {report.unreferenced:,} ({report.unreferenced_bytes:,} bytes), "
               f"of which {report.recent:,} written in the last {hours} hours (left alone)")
    for key in report.examples:
        click.echo(f"  e.g. {key}")
    click.echo(f"Leftover files of unfinished writes: {report.leftovers:,}")
    if delete:
        click.echo(f"Removed: {report.deleted:,} objects and {report.leftovers:,} leftover files")
    elif report.unreferenced - report.recent or report.leftovers:
        click.echo("Nothing removed; run again with --delete to remove them.")


@click.command("create-laboratory")
@click.option("--name", required=True,
              help="The laboratory's name in English, as on its accreditation.")
@click.option("--name-kk", default="", help="Its name in Kazakh.")
@click.option("--name-ru", default="", help="Its name in Russian.")
@click.option("--name-zh", default="", help="Its name in Chinese.")
@click.option("--accreditation-number", default="", help="e.g. KZ.T.02.0001")
@click.option("--accredited-until", required=True, type=click.DateTime(formats=["%Y-%m-%d"]),
              help="The last day of its accreditation (YYYY-MM-DD).")
@click.option("--parameter", "parameters", multiple=True, required=True,
              help="A laboratory parameter of its scope, as lab_parameters.csv names it "
                   "(\"lead\", \"deoxynivalenol (DON)\"); repeat for several.")
@click.option("--category", "categories", multiple=True, required=True,
              help="A product group it tests those parameters in, as gacc_categories.csv "
                   "codes it (\"edible_grains\", \"meat\"); repeat for several.")
@with_appcontext
def create_laboratory_command(name, name_kk, name_ru, name_zh, accreditation_number,
                              accredited_until, parameters, categories):
    """Record an accredited laboratory; an administrator then creates its account."""
    try:
        lab = laboratories.create_laboratory(SYSTEM, laboratories.LaboratoryInput(
            name=name, name_kk=name_kk, name_ru=name_ru, name_zh=name_zh,
            accreditation_number=accreditation_number,
            accredited_until=accredited_until.date(), parameters=list(parameters),
            categories=list(categories)))
    except ValidationFailed as error:
        _refused(error)
    click.echo(f"Recorded laboratory {lab.id}: {lab.name}.")


def init_app(app) -> None:
    """Register the commands on the application."""
    for command in (init_db_command, load_reference_command, create_user_command,
                    create_laboratory_command,
                    seed_demo_command, verify_audit_command, gen_secret_key_command,
                    daily_command, demo_documents_command, init_seal_command,
                    totp_code_command, export_audit_anchors_command, sweep_storage_command,
                    worker.worker_command):
        app.cli.add_command(command)
