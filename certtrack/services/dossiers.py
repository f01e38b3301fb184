"""Recommendation dossiers: generated at the recommendation and for each GACC batch, stored, and
re-generated as new versions; never rendered again for a download.

The recommendation and the batch queue their dossier (a background job), so that their pages
do not wait for the render; the job names the version it makes, so that running it twice
stores one dossier.

The context is read first, the read transaction is ended, the PDF is rendered outside any
transaction (docs/security.md item 20) and then stored with its Dossier row in one short write
transaction, which locks the subject's row so that racing versions cannot collide.
"""

from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select, update

from certtrack.domain.workflow import Role
from certtrack.extensions import db
from certtrack.models import Application, AuditEvent, Dossier, GaccBatch, StoredPdf, User
from certtrack.models.base import utcnow
from certtrack.pdf import PdfRenderError, render_dossier
from certtrack.services import queue
from certtrack.services.applications import local_today
from certtrack.services.audit import record_event
from certtrack.services.dossier_context import dossier_context
from certtrack.services.errors import Conflict, NotFound, PermissionDenied
from certtrack.services.issued_files import keep_pdf
from certtrack.services.permissions import can_see_application, has_role, require_registrar
from certtrack.services.seal import issue_sealed
from certtrack.services.transaction import transaction

# How long a first dossier counts as "being prepared" after the recommendation or the batch.
PREPARING_FOR = timedelta(minutes=10)
# The states of an application that the registrar has recommended to GACC.
RECOMMENDED_STATES = ("recommended", "submitted_to_gacc", "gacc_returned", "gacc_refused",
                      "registered")


def _subject(application: Application | None, batch: GaccBatch | None):
    if batch is not None:
        return Dossier.gacc_batch_id == batch.id, GaccBatch, batch.id
    return Dossier.application_id == application.id, Application, application.id


def _next_version(application: Application | None, batch: GaccBatch | None) -> int:
    condition, _model, _id = _subject(application, batch)
    return 1 + (db.session.scalar(select(func.max(Dossier.version)).where(condition)) or 0)


def _generate(actor, application: Application | None = None,
              batch: GaccBatch | None = None, version: int | None = None) -> Dossier:
    """Render and store the next version of the dossier of an application or of a batch."""
    version = version or _next_version(application, batch)
    chosen = sorted(batch.applications, key=lambda a: a.id) if batch else [application]
    label = batch.reference if batch else application.reference
    with transaction():  # a read only; ending it holds nothing while rendering
        # A batch's letter bears the day the batch went to GACC, whichever version this is.
        context = dossier_context(chosen, reference=f"REC-{label}-{version}",
                                  date=batch.submitted_on if batch else local_today(),
                                  signatory=actor,
                                  batch=batch.reference if batch else None)
    rendered = issue_sealed(render_dossier, context)
    pdf = keep_pdf("dossier", rendered)  # written before the row, outside the transaction
    condition, model, subject_id = _subject(application, batch)
    with transaction():
        db.session.execute(update(model).where(model.id == subject_id)
                           .values(id=model.id).execution_options(synchronize_session=False))
        if _next_version(application, batch) != version:
            raise Conflict(_("Another version of this dossier was generated meanwhile."))
        db.session.add(pdf)
        db.session.flush()
        dossier = Dossier(application_id=application.id if application else None,
                          gacc_batch_id=batch.id if batch else None, version=version,
                          pdf_id=pdf.id, created_by_id=actor.id)
        db.session.add(dossier)
        db.session.flush()
        record_event(actor, "dossier_generated", object_type="dossier", object_id=dossier.id,
                     application_id=application.id if application else None,
                     data={"version": version, "sha256": rendered.sha256,
                           "pages": rendered.pages, "batch": batch.reference if batch else None,
                           "applications": [a.id for a in chosen]})
    return dossier


def after_recommendation(actor, applications) -> None:
    """Take a registrar and the applications just recommended; queue a dossier for each.

    Called after the recommendation's commit: the recommendation stands whatever the job does.
    """
    for application in applications:
        queue.enqueue_or_run("generate_dossier", generate_queued, actor.id, application.id, None,
                             _next_version(application, None))


def after_batch(actor, batch: GaccBatch) -> None:
    """Take a registrar and the batch just sent to GACC; queue the batch's dossier."""
    queue.enqueue_or_run("generate_dossier", generate_queued, actor.id, None, batch.id,
                         _next_version(None, batch))


def generate_queued(actor_id: int, application_id: int | None, batch_id: int | None,
                    version: int) -> bool:
    """The queued job: store version `version` of the dossier unless it exists already.

    Returns True when this run stored it. A render failure is logged and raised (the queue
    retries the job, then lists it for the administrators).
    """
    application = db.session.get(Application, application_id) if application_id else None
    batch = db.session.get(GaccBatch, batch_id) if batch_id else None
    if _next_version(application, batch) != version:
        db.session.rollback()
        return False  # done by an earlier run of this job
    label = batch.reference if batch else application.reference
    try:
        _generate(db.session.get(User, actor_id), application, batch, version)
    except PdfRenderError:
        current_app.logger.exception("dossier of %s not rendered", label)
        raise
    except Conflict:
        return False  # a racing run of this job stored it
    return True


def regenerate(actor, *, application: Application | None = None,
               batch: GaccBatch | None = None) -> Dossier:
    """Take a registrar and an application (recommended or later) or a batch; store a new
    version of its dossier from the data as it is now.

    :raise PermissionDenied: not a registrar, or an application never recommended.
    :raise Conflict: another version was generated at the same time.
    :raise PdfRenderError: the dossier cannot be rendered (nothing is stored).
    """
    require_registrar(actor)
    if application is not None and application.state not in RECOMMENDED_STATES:
        raise PermissionDenied(_("A dossier is generated when the application is recommended."))
    return _generate(actor, application=application, batch=batch)


def being_prepared(*, application: Application | None = None,
                   batch: GaccBatch | None = None) -> bool:
    """Take an application or a batch without a stored dossier; return whether its first one
    is still with the queue: recommended or sent within PREPARING_FOR. After that (a job that
    failed, or records from before dossiers were queued) the page offers to generate it."""
    if batch is not None:
        since = batch.created_at
    else:
        since = db.session.scalar(select(func.max(AuditEvent.at)).where(
            AuditEvent.application_id == application.id, AuditEvent.action == "recommend"))
    return since is not None and utcnow() - since < PREPARING_FOR


def list_dossiers(*, application: Application | None = None,
                  batch: GaccBatch | None = None) -> list[Dossier]:
    """Take an application or a batch; return its dossiers, newest version first."""
    condition, _model, _id = _subject(application, batch)
    return list(db.session.scalars(select(Dossier).where(condition)
                                   .order_by(Dossier.version.desc())))


def _may_see(actor, dossier: Dossier) -> bool:
    if has_role(actor, Role.registrar):
        return True
    if not has_role(actor, Role.inspector):
        return False
    if dossier.application_id is not None:
        return can_see_application(actor, db.session.get(Application, dossier.application_id))
    batch = db.session.get(GaccBatch, dossier.gacc_batch_id)
    return all(can_see_application(actor, application) for application in batch.applications)


def get_dossier(actor, dossier_id: int) -> Dossier:
    """Take a user and an id; return the dossier if the user may download it.

    Registrars see every dossier; inspectors those of applications they may see (a batch's
    dossier only when they may see every application in it).
    :raise NotFound: unknown, or not the user's to see.
    """
    dossier = db.session.get(Dossier, dossier_id)
    if dossier is None or not _may_see(actor, dossier):
        raise NotFound(_("No such dossier."))
    return dossier


def stored_pdf(dossier: Dossier) -> StoredPdf:
    """The dossier's PDF exactly as stored."""
    return db.session.get(StoredPdf, dossier.pdf_id)


def download_name(dossier: Dossier) -> str:
    """The file name a dossier downloads under."""
    if dossier.gacc_batch_id is not None:
        label = db.session.get(GaccBatch, dossier.gacc_batch_id).reference
    else:
        label = db.session.get(Application, dossier.application_id).reference
    return f"dossier-{label}-v{dossier.version}.pdf"
