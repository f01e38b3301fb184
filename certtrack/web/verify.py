"""Public verification of certificates, without signing in: the form, the QR target and the
check of a PDF received. A wrong code and an unknown number get the same 404 page."""

from flask import Blueprint, render_template, request
from werkzeug.datastructures import CombinedMultiDict

from certtrack.services import verification
from certtrack.web.access import public
from certtrack.web.certificate_forms import PdfCheckForm, VerifyForm

bp = Blueprint("verify", __name__)


def _answer(answer, number: str, check_form=None, status: int = 200):
    """The certificate page for a match, else the form with the one 'not found' answer."""
    if not answer.found:
        form = VerifyForm(data={"number": number})
        return render_template("public/verify.html", form=form, not_found=True), 404
    return render_template("public/certificate.html", answer=answer,
                           data=answer.certificate.data, number=answer.certificate.number,
                           code=answer.certificate.verification_code,
                           check_form=check_form or PdfCheckForm()), status


@bp.get("/verify")
@public
def form():
    """The form for a number and a code typed by hand; with both, the answer (channel form)."""
    form = VerifyForm(request.args)
    if not request.args:
        return render_template("public/verify.html", form=VerifyForm(), not_found=False)
    if not form.validate():
        return render_template("public/verify.html", form=form, not_found=False), 422
    answer = verification.verify(request.remote_addr, form.number.data, form.code.data, "form")
    return _answer(answer, form.number.data)


@bp.route("/verify/<number>/<code>", methods=["GET", "POST"])
@public
def certificate(number: str, code: str):
    """The QR target (GET), and the check of an uploaded PDF against the issued one (POST)."""
    if request.method == "GET":
        return _answer(verification.verify(request.remote_addr, number, code, "qr"), number)
    form = PdfCheckForm(CombinedMultiDict((request.files, request.form)))
    if not form.validate():
        answer = verification.verify(request.remote_addr, number, code, "pdf")
        return _answer(answer, number, form, status=422)
    content = form.file.data.read()
    answer = verification.verify(request.remote_addr, number, code, "pdf", content=content)
    return _answer(answer, number)
