"""Forms of the certificate pages: public verification, the PDF check and the replacement."""

from collections.abc import Iterator
from contextlib import contextmanager

from flask import current_app, request
from flask_babel import lazy_gettext as _l
from wtforms import FileField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from certtrack.domain.consignment import is_consignment_certificate_number
from certtrack.domain.identifiers import IdentifierError, parse_certificate_number
from certtrack.web.forms import BaseForm
from certtrack.web.validators import reason_validators

DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"))


def plain_hyphens(value):
    """A number copied from a text that set its hyphens as dashes ("KZ–CN–2026–000003")."""
    return value.translate(DASHES) if isinstance(value, str) else value


def certificate_number(_form, field) -> None:
    """A number that reads as one of the three kinds: "hello" was looked up and answered
    "no certificate with this number", as if it might have been one."""
    text = field.data or ""
    try:
        parse_certificate_number(text)
    except IdentifierError:
        if not is_consignment_certificate_number(text):
            raise ValidationError(_l("This is not a certificate number: it reads like "
                                     "KZ-CN-2026-000123, KZ-PC-2026-000045 or "
                                     "KZ-VC-2026-000007.")) from None


class VerifyForm(BaseForm):
    """Number and code typed by hand; sent with GET, so it carries no CSRF token."""

    class Meta:
        csrf = False

    number = StringField(_l("Certificate number"),
                         validators=[DataRequired(), Length(max=32), certificate_number],
                         filters=[plain_hyphens],
                         description=_l("As printed on the certificate: KZ-CN-2026-000123 for "
                                        "export eligibility, KZ-PC-2026-000045 for a "
                                        "phytosanitary certificate, KZ-VC-2026-000007 for a "
                                        "veterinary one."))
    code = StringField(_l("Verification code"), validators=[DataRequired(), Length(max=64)],
                       description=_l("The last part of the verification address printed under "
                                       "the QR code, after the number."))


class PdfCheckForm(BaseForm):
    file = FileField(_l("The PDF you received"))

    def validate_file(self, field):
        if not field.data or not getattr(field.data, "filename", ""):
            raise ValidationError(_l("Choose the PDF file to check."))
        head = field.data.stream.read(5)
        field.data.stream.seek(0)
        if not head:  # not "different, may have been altered": there is nothing to compare
            raise ValidationError(_l("This file is empty (0 bytes): choose the PDF of the "
                                     "certificate."))
        if head != b"%PDF-":
            raise ValidationError(_l("This file is not a PDF: choose the PDF of the "
                                     "certificate as you received it."))


class SealCheckForm(BaseForm):
    """A PDF whose electronic seal the public wants checked: a PDF, and not too large."""

    file = FileField(_l("The PDF to check"),
                     description=_l("A certificate or a dossier as you received it. The file "
                                    "is checked and not kept."))

    def validate_file(self, field):
        upload = field.data
        if not upload or not getattr(upload, "filename", ""):
            raise ValidationError(_l("Choose the PDF file to check."))
        limit = current_app.config["SEAL_CHECK_MAX_BYTES"]
        upload.stream.seek(0, 2)
        size = upload.stream.tell()
        upload.stream.seek(0)
        if size > limit:
            raise ValidationError(_l("Files of at most %(size)s MB are checked.",
                                     size=f"{limit / (1024 * 1024):g}"))
        if upload.stream.read(5) != b"%PDF-":
            raise ValidationError(_l("This file is not a PDF."))
        upload.stream.seek(0)


class ReplaceForm(BaseForm):
    reason = TextAreaField(_l("What changed"),
                           validators=reason_validators(2000),
                           description=_l("For example: validity extended by the renewal, or "
                                          "the enterprise's name changed."))


class RevokeCertificateForm(BaseForm):
    reason = TextAreaField(_l("Reason for the revocation"),
                           validators=reason_validators(2000),
                           description=_l("The exporter reads it; the public verification page "
                                          "shows the certificate as revoked."))


@contextmanager
def uploads_closed() -> Iterator[None]:
    """The request's uploads, closed when the block ends however it ends: a large upload is
    spooled to a temporary file, which the check reads once and never keeps."""
    try:
        yield
    finally:
        for upload in request.files.values():
            upload.close()
