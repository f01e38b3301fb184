"""The registrar's certificate and dossier actions: preview, issue, replace, revoke,
regenerate."""

from flask import Blueprint, g, render_template, url_for
from flask_babel import gettext as _

from certtrack.domain.workflow import Role
from certtrack.services import certificates, gacc, registrations
from certtrack.services.applications import get_application
from certtrack.web import pages
from certtrack.web.access import roles_required
from certtrack.web.actions import CERTIFICATES
from certtrack.web.issued import pdf_response
from certtrack.web.perform import Page, perform, show

bp = Blueprint("certificates", __name__, url_prefix="/registrar")
bp.before_request(roles_required(Role.registrar))


@bp.get("/registrations/<id:registration_id>/certificate-preview")
def preview(registration_id: int):
    """The certificate the registration would get, watermarked DRAFT; nothing is stored."""
    registration = registrations.get_registration(g.user, registration_id)
    rendered = certificates.preview_certificate(g.user, registration)
    return pdf_response(rendered.content, f"draft-{registration.china_number}.pdf",
                        attachment=False)


@bp.post("/registrations/<id:registration_id>/certificates")
def issue(registration_id: int):
    registration = registrations.get_registration(g.user, registration_id)
    return perform(CERTIFICATES["issue"], registration, pages.REGISTRATION)


def _newer(certificate):
    """The registration's certificate in force when it is not this one (this one was
    replaced): its page is where the registrar goes on."""
    current = certificates.current_certificate(certificate.registration_id)
    return current if current is not None and current.id != certificate.id else None


def _replace_page(certificate, failed: dict) -> str:
    if certificate.revoked_at is not None:  # it stays revoked: it does not become "replaced"
        failed["form"].consequence = _("The new certificate is issued at once, and this one "
                                       "stays revoked. This cannot be undone.")
    return render_template("certificates/replace.html", form=failed["form"],
                           certificate=certificate, back=REPLACE_PAGE.url(certificate),
                           refusal=certificates.issue_refusal(certificate.registration,
                                                              certificate),
                           newer=_newer(certificate))


REPLACE_PAGE = Page(url=lambda c: url_for("registrar.registration",
                                          registration_id=c.registration_id),
                    render=_replace_page)


@bp.route("/certificates/<id:certificate_id>/replace", methods=["GET", "POST"])
def replace(certificate_id: int):
    """A replacement after a change: a new number that names the certificate it replaces."""
    certificate = certificates.get_certificate(g.user, certificate_id)
    return show(CERTIFICATES["replace"], certificate, REPLACE_PAGE)


def _revoke_page(certificate, failed: dict) -> str:
    return render_template("certificates/revoke.html", form=failed["form"],
                           certificate=certificate, back=REPLACE_PAGE.url(certificate),
                           refusal=certificates.revoke_refusal(certificate),
                           newer=_newer(certificate))


REVOKE_PAGE = Page(url=REPLACE_PAGE.url, render=_revoke_page)


@bp.route("/certificates/<id:certificate_id>/revoke", methods=["GET", "POST"])
def revoke(certificate_id: int):
    """Revoke one certificate, after a reason and a confirmation; its registration stays."""
    certificate = certificates.get_certificate(g.user, certificate_id)
    return show(CERTIFICATES["revoke"], certificate, REVOKE_PAGE)


@bp.post("/applications/<id:application_id>/dossiers")
def regenerate_application_dossier(application_id: int):
    application = get_application(g.user, application_id)
    return perform(CERTIFICATES["regenerate_application_dossier"], application,
                   pages.REGISTRAR_APPLICATION)


@bp.post("/batches/<id:batch_id>/dossiers")
def regenerate_batch_dossier(batch_id: int):
    batch = gacc.get_batch(g.user, batch_id)
    return perform(CERTIFICATES["regenerate_batch_dossier"], batch, pages.BATCH)
