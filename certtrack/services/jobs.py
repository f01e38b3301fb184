"""Jobs that failed for good (listed for administrators and run again) and named job locks."""

import secrets
from datetime import UTC, datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from certtrack.extensions import db
from certtrack.models import (
    Certificate,
    ConsignmentCertificate,
    GaccBatch,
    JobFailure,
    JobLock,
)
from certtrack.models.application import application_reference
from certtrack.models.base import utcnow
from certtrack.services import queue
from certtrack.services.audit import record_event
from certtrack.services.errors import NotFound
from certtrack.services.permissions import require_admin
from certtrack.services.transaction import transaction

_UNLOCKED = datetime(1970, 1, 1, tzinfo=UTC)


def record_failure(task: str, args, error: str, attempts: int) -> JobFailure:
    """Take a job's name, arguments, last error and number of attempts; store it, one commit."""
    with transaction():
        failure = JobFailure(task=task, args=list(args), error=error[:4000], attempts=attempts)
        db.session.add(failure)
    return failure


def list_failures(actor, page: int = 1):
    """Take an administrator; return one page of the failed jobs not yet run again, newest
    first (it showed the newest 100 and said nothing of the others).

    :raise PermissionDenied: not an administrator.
    """
    require_admin(actor, _("Only an administrator may do this."))
    query = (select(JobFailure).where(JobFailure.retried_at.is_(None))
             .order_by(JobFailure.id.desc()))
    return db.paginate(query, page=page, per_page=current_app.config["PER_PAGE"],
                       error_out=False)


# The kind of document a job's first argument names, its model and the number it prints.
_DOCUMENTS = {"render_certificate": ("certificate", Certificate, Certificate.number),
              "render_consignment_certificate": ("consignment_certificate",
                                                 ConsignmentCertificate,
                                                 ConsignmentCertificate.number),
              "batch": ("batch", GaccBatch, GaccBatch.reference)}


def failure_subjects(failures) -> dict[int, tuple[str, str]]:
    """Take failed jobs; return what each concerns, by failure id, as (kind, reference): a
    certificate's or a consignment certificate's number, an application's reference or a
    GACC batch's ("certificate", "consignment_certificate", "application", "batch"). A
    scheduled job concerns nothing and has no entry; nor has a document since deleted. One
    query per kind of document on the page (the administrator read "42" and had to look it up).
    """
    wanted: dict[str, dict[int, list[int]]] = {}
    subjects: dict[int, tuple[str, str]] = {}
    for failure in failures:
        args = failure.args or []
        if failure.task == "generate_dossier" and len(args) > 2:
            if args[1] is not None:  # (actor, application, batch, version)
                subjects[failure.id] = ("application", application_reference(args[1]))
                continue
            key, object_id = "batch", args[2]
        elif failure.task in _DOCUMENTS and args:
            key, object_id = failure.task, args[0]
        else:
            continue
        if isinstance(object_id, int):
            wanted.setdefault(key, {}).setdefault(object_id, []).append(failure.id)
    for key, ids in wanted.items():
        kind, model, number = _DOCUMENTS[key]
        for object_id, reference in db.session.execute(
                select(model.id, number).where(model.id.in_(list(ids)))):
            subjects.update((failure_id, (kind, reference)) for failure_id in ids[object_id])
    return subjects


def retry_failure(actor, failure_id: int) -> JobFailure:
    """Take an administrator and a failed job; queue it again and mark it retried, once.

    :raise PermissionDenied: not an administrator.
    :raise NotFound: unknown, already retried, or a job this version no longer has.
    """
    require_admin(actor, _("Only an administrator may do this."))
    with transaction():
        claimed = db.session.execute(
            update(JobFailure).where(JobFailure.id == failure_id,
                                     JobFailure.retried_at.is_(None))
            .values(retried_at=utcnow()).execution_options(synchronize_session=False))
        failure = db.session.get(JobFailure, failure_id)
        if claimed.rowcount != 1 or not queue.known(failure.task):
            raise NotFound(_("No such failed job."))
        record_event(actor, "job_retried", object_type="job_failure", object_id=failure.id,
                     data={"task": failure.task, "args": failure.args})
    queue.enqueue(failure.task, *failure.args)
    return failure


def take_lock(name: str, ttl: timedelta) -> str | None:
    """Take the named lock for `ttl` unless another holder has it; return a token or None.

    One atomic UPDATE ... WHERE locked_until < now decides, on SQLite and PostgreSQL alike, so
    that two servers never both hold it; a crashed holder's lock lapses after `ttl`.
    """
    if db.session.get(JobLock, name) is None:
        try:
            with transaction():
                db.session.add(JobLock(name=name, holder="", locked_until=_UNLOCKED))
        except IntegrityError:
            pass  # created by a racing server meanwhile
    token, now = secrets.token_hex(16), utcnow()
    with transaction():
        taken = db.session.execute(
            update(JobLock).where(JobLock.name == name, JobLock.locked_until < now)
            .values(holder=token, locked_until=now + ttl)
            .execution_options(synchronize_session=False))
    return token if taken.rowcount == 1 else None


def release_lock(name: str, token: str) -> None:
    """Give back the named lock if `token` still holds it."""
    with transaction():
        db.session.execute(update(JobLock).where(JobLock.name == name, JobLock.holder == token)
                           .values(locked_until=_UNLOCKED)
                           .execution_options(synchronize_session=False))
