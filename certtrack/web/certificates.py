"""The registrar's certificate and dossier actions: preview, issue, replace, regenerate."""

from flask import Blueprint, flash, g, redirect, request, url_for
from flask_babel import gettext as _

from certtrack.services import certificates, dossiers, gacc, registrations
from certtrack.services.applications import get_application
from certtrack.services.errors import PermissionDenied, ValidationFailed
from certtrack.web.access import roles_required
from certtrack.web.certificate_forms import ReplaceForm
from certtrack.web.forms import render_form
from certtrack.web.issued import pdf_response

bp = Blueprint("certificates", __name__, url_prefix="/registrar")
bp.before_request(roles_required("registrar"))


def registration_panel(registration) -> dict:
    """Template context of the certificates card on the registrar's registration page."""
    current = certificates.current_certificate(registration.id)
    refusal = certificates.issue_refusal(registration)
    return {"certificate_panel": {
        "rows": certificates.certificate_rows(registration),
        "can_issue": refusal is None,
        "can_replace": current is not None and registration.status == "active",
        "current": current,
    }}


@bp.get("/registrations/<int:registration_id>/certificate-preview")
def preview(registration_id: int):
    """The certificate the registration would get, watermarked DRAFT; nothing is stored."""
    registration = registrations.get_registration(g.user, registration_id)
    rendered = certificates.preview_certificate(g.user, registration)
    return pdf_response(rendered.content, f"draft-{registration.china_number}.pdf",
                        attachment=False)


@bp.post("/registrations/<int:registration_id>/certificates")
def issue(registration_id: int):
    registration = registrations.get_registration(g.user, registration_id)
    try:
        certificate = certificates.issue_certificate(g.user, registration)
    except ValidationFailed as error:
        flash(error.message, "error")
    else:
        flash(_("Certificate %(number)s is issued; the exporter is told.",
                number=certificate.number), "success")
    return redirect(url_for("registrar.registration", registration_id=registration_id))


@bp.route("/certificates/<int:certificate_id>/replace", methods=["GET", "POST"])
def replace(certificate_id: int):
    """A replacement after a change: a new number that names the certificate it replaces."""
    certificate = certificates.get_certificate(g.user, certificate_id)
    back = url_for("registrar.registration", registration_id=certificate.registration_id)
    form = ReplaceForm(request.form if request.method == "POST" else None)
    if request.method == "POST" and form.validate():
        try:
            new = certificates.issue_certificate(g.user, certificate.registration,
                                                 replaces=certificate, reason=form.reason.data)
        except ValidationFailed as error:
            if "reason" not in error.errors:
                flash(error.message, "error")
                return redirect(back)
            form.add_errors(error.errors)
        else:
            flash(_("Certificate %(new)s replaces %(old)s.", new=new.number,
                    old=certificate.number), "success")
            return redirect(back)
    return render_form("certificates/replace.html", form, certificate=certificate,
                       refusal=certificates.issue_refusal(certificate.registration, certificate),
                       back=back)


@bp.post("/applications/<int:application_id>/dossiers")
def regenerate_application_dossier(application_id: int):
    application = get_application(g.user, application_id)
    try:
        dossier = dossiers.regenerate(g.user, application=application)
    except PermissionDenied as error:  # not recommended yet: nothing to generate
        flash(error.message, "error")
    else:
        flash(_("Version %(version)d of the dossier is stored.", version=dossier.version),
              "success")
    return redirect(url_for("registrar.application", application_id=application_id))


@bp.post("/batches/<int:batch_id>/dossiers")
def regenerate_batch_dossier(batch_id: int):
    batch = gacc.get_batch(g.user, batch_id)
    dossier = dossiers.regenerate(g.user, batch=batch)
    flash(_("Version %(version)d of the dossier is stored.", version=dossier.version), "success")
    return redirect(url_for("registrar.batch", batch_id=batch_id))
