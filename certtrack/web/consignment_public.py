"""Consignment certificates outside the exporter's pages: downloads for those who may see the
consignment, and the public verification page that the QR code opens."""

from flask import Blueprint, g, jsonify, redirect, render_template, request
from werkzeug.datastructures import CombinedMultiDict

from certtrack.domain.verification import canonical_code, verification_path
from certtrack.services.consignments import status
from certtrack.web.access import public
from certtrack.web.certificate_forms import PdfCheckForm, VerifyForm, uploads_closed
from certtrack.web.issued import stored_pdf_response
from certtrack.web.verify import consignment_answer

bp = Blueprint("consignment_verify", __name__)


@bp.get("/consignment-certificates/<id:certificate_id>.pdf")
def certificate_pdf(certificate_id: int):
    """The issued PDF, as stored (the exporter's enterprise, its inspectors, registrars); a
    page that refreshes itself while the queue prepares it."""
    certificate = status.get_consignment_certificate(g.user, certificate_id)
    pdf = status.stored_pdf(certificate)
    if pdf is None:
        return render_template("certificates/preparing.html", number=certificate.number), 202
    return stored_pdf_response(pdf, f"{certificate.number}.pdf")


@bp.get("/consignment-certificates/<id:certificate_id>.json")
def certificate_json(certificate_id: int):
    """The issued certificate's data in the UN/CEFACT SPS vocabulary, as a download."""
    certificate = status.get_consignment_certificate(g.user, certificate_id)
    response = jsonify(certificate.data)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{certificate.number}.json"')
    return response


@bp.route("/verify/consignment/<number>/<code>", methods=["GET", "POST"])
@public
def certificate(number: str, code: str):
    """The QR target (GET): the certificate's status, its registration's today and at issue,
    and the goods it certifies; the check of an uploaded PDF against the issued one (POST)."""
    address = request.remote_addr
    if request.method == "GET":
        return consignment_answer(status.verify_consignment_certificate(address, number, code),
                                  number, code)
    with uploads_closed():
        form = PdfCheckForm(CombinedMultiDict((request.files, request.form)))
        if not form.validate():
            return consignment_answer(status.verify_consignment_certificate(
                address, number, code, "pdf"), number, code, form, 422)
        content = form.file.data.read()
    return consignment_answer(status.verify_consignment_certificate(
        address, number, code, "pdf", content), number, code)


@bp.get("/verify/consignment/<number>")
@public
def short_address(number: str):
    """`/verify/consignment/<number>?code=...` moved for good (301) to the canonical address;
    without a code, the verification form with the number filled in, as for a certificate of
    export eligibility (the number read off a paper whose QR code will not scan)."""
    code = request.args.get("code", "")
    if not code.strip():
        return render_template("public/verify.html", form=VerifyForm(data={"number": number}),
                               not_found=False)
    path = verification_path(number, canonical_code(code), "consignment")
    return redirect(request.script_root + path, 301)
