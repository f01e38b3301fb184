"""Public verification of certificates, without signing in: the form, the QR target, the
check of a PDF received against the issued one and the check of any PDF's electronic seal.
A wrong code and an unknown number get the same 404 page."""

from flask import Blueprint, redirect, render_template, request
from werkzeug.datastructures import CombinedMultiDict

from certtrack.domain.consignment import is_consignment_certificate_number
from certtrack.domain.verification import canonical_code, verification_path
from certtrack.services import seal, verification
from certtrack.services.consignments import status as consignments_status
from certtrack.web.access import public
from certtrack.web.certificate_forms import (
    PdfCheckForm,
    SealCheckForm,
    VerifyForm,
    uploads_closed,
)

bp = Blueprint("verify", __name__)


def not_found(number: str, code: str):
    """The form with the one 'not found' answer, the number and code kept to correct them."""
    form = VerifyForm(data={"number": number, "code": code})
    return render_template("public/verify.html", form=form, not_found=True), 404


def consignment_answer(answer, number: str, code: str, check_form=None, status: int = 200):
    """A phytosanitary or veterinary certificate's page for a match (its status, goods and
    the check of a PDF received), else the form with the one 'not found' answer."""
    if not answer.found:
        return not_found(number, code)
    return render_template("consignments/verify.html", answer=answer,
                           certificate=answer.certificate, check_form=check_form or PdfCheckForm(),
                           development_seal=seal.development_seal_in_use()), status


def _answer(answer, number: str, check_form=None, status: int = 200, code: str = ""):
    """The certificate page for a match, else the form with the one 'not found' answer."""
    if not answer.found:
        return not_found(number, code)
    return render_template("public/certificate.html", answer=answer,
                           data=answer.certificate.data, number=answer.certificate.number,
                           code=answer.certificate.verification_code,
                           development_seal=seal.development_seal_in_use(),
                           check_form=check_form or PdfCheckForm()), status


@bp.get("/verify")
@public
def form():
    """The form for a number and a code typed by hand; with both, the answer (channel form)."""
    form = VerifyForm(request.args)
    if "number" not in request.args and "code" not in request.args:  # a link's ?utm_… alone
        return render_template("public/verify.html", form=VerifyForm(), not_found=False)
    if not form.validate():
        return render_template("public/verify.html", form=form, not_found=False), 422
    number, code = form.number.data, form.code.data
    if is_consignment_certificate_number(number):  # KZ-PC-…, KZ-VC-…: a shipment's certificate
        return consignment_answer(consignments_status.verify_consignment_certificate(
            request.remote_addr, number, code, "form"), number, code)
    return _answer(verification.verify(request.remote_addr, number, code, "form"), number,
                   code=code)


@bp.route("/verify/<number>/<code>", methods=["GET", "POST"])
@public
def certificate(number: str, code: str):
    """The QR target (GET), and the check of an uploaded PDF against the issued one (POST). A
    phytosanitary or veterinary certificate's number moves (for good) to its own address."""
    if is_consignment_certificate_number(number):  # the body of a POST goes along (308)
        path = verification_path(number, canonical_code(code), "consignment")
        return redirect(request.script_root + path, 301 if request.method == "GET" else 308)
    if request.method == "GET":
        return _answer(verification.verify(request.remote_addr, number, code, "qr"), number,
                       code=code)
    with uploads_closed():
        form = PdfCheckForm(CombinedMultiDict((request.files, request.form)))
        if not form.validate():
            answer = verification.verify(request.remote_addr, number, code, "pdf")
            return _answer(answer, number, form, status=422, code=code)
        content = form.file.data.read()
    answer = verification.verify(request.remote_addr, number, code, "pdf", content=content)
    return _answer(answer, number, code=code)


@bp.get("/verify/<number>")
@public
def short_address(number: str):
    """`/verify/<number>?code=...` moved for good (301) to the canonical address; without a
    code, the form with the number filled in."""
    code = request.args.get("code", "")
    if not code.strip():
        form = VerifyForm(data={"number": number})
        return render_template("public/verify.html", form=form, not_found=False)
    kind = "consignment" if is_consignment_certificate_number(number) else "certificate"
    return redirect(request.script_root + verification_path(number, canonical_code(code), kind),
                    301)


@bp.route("/verify/seal", methods=["GET", "POST"])
@public
def seal_check():
    """The check of an uploaded PDF's electronic seal: intact and by whom, altered, or none."""
    development = seal.development_seal_in_use()
    if request.method == "GET":
        return render_template("public/seal_check.html", form=SealCheckForm(), check=None,
                               development_seal=development)
    with uploads_closed():
        form = SealCheckForm(CombinedMultiDict((request.files, request.form)))
        if not form.validate():
            return render_template("public/seal_check.html", form=form, check=None,
                                   development_seal=development), 422
        check = verification.check_uploaded_seal(request.remote_addr, form.file.data.read())
    return render_template("public/seal_check.html", form=SealCheckForm(), check=check,
                           development_seal=development)
