"""The API's marshmallow schemas: what a machine sends and what it gets back."""

import base64
import binascii
import re

import marshmallow as ma
from marshmallow import validate
from werkzeug.datastructures import FileStorage

from certtrack.domain import bounds
from certtrack.domain.consignment import ConsignmentState
from certtrack.domain.reasons import REASON_MIN_IDEOGRAPHS, REASON_MIN_LENGTH
from certtrack.domain.workflow import RegistrationStatus, State
from certtrack.models.application import HACCP_STATUSES, KINDS, VOLUME_UNITS, WATER_SOURCES
from certtrack.models.consignment import DOCUMENT_KINDS
from certtrack.services.listings import MAX_LIMIT
from certtrack.services.local_dates import local_today

DECIMAL_DOC = {"type": "string", "format": "decimal",
               "description": "a decimal number written as a string, e.g. \"1000.5\""}


def _within(low, high):
    """A range check of a decimal (a function, so the document shows the value as a string)."""
    def check(value):
        if value is not None and not low <= value <= high:
            raise ma.ValidationError(f"Must be between {low} and {high}.")
    return check


def decimal(*, low=0, high=10**10, description: str = "", **options) -> ma.fields.Decimal:
    """A decimal exchanged as a string (no binary floating point on the way); `description`
    goes after the format's."""
    metadata = {**DECIMAL_DOC, "description": f"{DECIMAL_DOC['description']}; {description}"
                } if description else DECIMAL_DOC
    return ma.fields.Decimal(as_string=True, validate=_within(low, high), allow_nan=False,
                             metadata=metadata, **options)


def whole(**options) -> ma.fields.Integer:
    """An integer of a JSON body: a JSON integer only (1.5 was taken as 1, "12" as 12)."""
    return ma.fields.Integer(strict=True, **options)


class QueryInteger(ma.fields.Integer):
    """An integer of a query string: ASCII digits only (Python's int() also read "1_0" as 10,
    " 5 " as 5 and other scripts' digits)."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str) or not re.fullmatch(r"-?[0-9]{1,19}", value):
            raise self.make_error("invalid", input=value)
        return super()._deserialize(value, attr, data, **kwargs)


def _in_window(value):
    """A date of a document, inspection or result within the window of domain/bounds.py."""
    if value is not None and not bounds.date_in_window(value, local_today()):
        raise ma.ValidationError(
            f"Must be between {bounds.EARLIEST_DATE} and {bounds.latest_date(local_today())}.")


def input_date(**options) -> ma.fields.Date:
    """A date sent to the API, held to the window of domain/bounds.py."""
    return ma.fields.Date(validate=_in_window, **options)


WITHDRAWAL_REASON_DOC = ("why the exporter withdrew it, as kept in its history (empty for a "
                         "draft withdrawn without a reason); null unless withdrawn")


class Cursor(ma.fields.String):
    """An opaque cursor: the id to continue after (ASCII digits, as encode_cursor writes it),
    base64url-encoded. int() alone also read "1_0", " 10" and other scripts' digits."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            digits = base64.urlsafe_b64decode(text.encode() + b"==").decode()
        except (ValueError, binascii.Error, UnicodeDecodeError) as error:
            raise ma.ValidationError("Not a cursor of this API.") from error
        if not re.fullmatch(r"[0-9]{1,19}", digits):
            raise ma.ValidationError("Not a cursor of this API.")
        after = int(digits)
        if not 0 <= after <= bounds.MAX_ID:  # no id (nor page) is beyond MAX_ID, and a
            # number past 2**63 - 1 cannot even be sent to the database
            raise ma.ValidationError("Not a cursor of this API.")
        return after


def encode_cursor(after: int | None) -> str | None:
    """The cursor of the page after id `after` (None: no more pages)."""
    if after is None:
        return None
    return base64.urlsafe_b64encode(str(after).encode()).decode().rstrip("=")


class PageArgs(ma.Schema):
    """?limit=…&cursor=…"""

    limit = QueryInteger(load_default=20, validate=validate.Range(1, MAX_LIMIT))
    cursor = Cursor(load_default=None, metadata={"description": "next_cursor of the last page"})


class ApplicationFilter(PageArgs):
    state = ma.fields.String(load_default=None, validate=validate.OneOf([s.value for s in State]))


class RegistrationFilter(PageArgs):
    status = ma.fields.String(load_default=None,
                              validate=validate.OneOf([s.value for s in RegistrationStatus]))
    category = ma.fields.String(load_default=None, validate=validate.Length(max=64))


class CertificateFilter(PageArgs):
    registration_id = QueryInteger(load_default=None, validate=validate.Range(1, 2**31 - 1))


def page_of(item_schema) -> type[ma.Schema]:
    """The envelope of a page of `item_schema`."""
    return ma.Schema.from_dict({
        "items": ma.fields.List(ma.fields.Nested(item_schema), required=True),
        "next_cursor": ma.fields.String(allow_none=True, required=True),
    }, name=f"{item_schema.__name__.removesuffix('Schema')}Page")


class EnterpriseSchema(ma.Schema):
    id = ma.fields.Integer()
    bin = ma.fields.String()
    name_en = ma.fields.String()
    name_kk = ma.fields.String()
    name_ru = ma.fields.String()
    name_zh = ma.fields.String()
    legal_form = ma.fields.String()
    region_code = ma.fields.String()
    address = ma.fields.String()


class EstablishmentSchema(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    type = ma.fields.String()
    region_code = ma.fields.String()
    address = ma.fields.String()
    kz_registration_number = ma.fields.String()


class ProductLineSchema(ma.Schema):
    product_code = ma.fields.String(required=True, validate=validate.Length(1, 64))
    annual_volume = decimal(required=True, places=3, high=bounds.MAX_VOLUME)
    volume_unit = ma.fields.String(required=True, validate=validate.OneOf(VOLUME_UNITS))


class ApplicationSchema(ma.Schema):
    id = ma.fields.Integer()
    reference = ma.fields.String()
    state = ma.fields.String()
    kind = ma.fields.String()
    establishment_id = ma.fields.Integer()
    gacc_category_code = ma.fields.String()
    region_code = ma.fields.String()
    created_at = ma.fields.AwareDateTime()
    updated_at = ma.fields.AwareDateTime()
    submitted_at = ma.fields.AwareDateTime(allow_none=True)
    stage_deadline = ma.fields.Date(allow_none=True)
    version = ma.fields.Integer()
    products = ma.fields.List(ma.fields.Nested(ProductLineSchema))
    withdrawal_reason = ma.fields.String(dump_only=True, allow_none=True, metadata={
        "description": WITHDRAWAL_REASON_DOC})
    allowed_actions = ma.fields.List(ma.fields.String(), metadata={
        "description": "what this token's user may do now (the pages' buttons)"})


class ApplicationInputSchema(ma.Schema):
    establishment_id = whole(required=True, validate=validate.Range(1, 2**31 - 1))
    gacc_category_code = ma.fields.String(required=True, validate=validate.Length(1, 64))
    kind = ma.fields.String(load_default="new", validate=validate.OneOf(KINDS))
    haccp_status = ma.fields.String(load_default=None, validate=validate.OneOf(HACCP_STATUSES))
    haccp_details = ma.fields.String(load_default="", validate=validate.Length(max=5000))
    traceability = ma.fields.String(load_default="", validate=validate.Length(max=5000))
    production_capacity = decimal(load_default=None, allow_none=True, places=3,
                                  high=bounds.MAX_DAILY_CAPACITY)
    storage_capacity = decimal(load_default=None, allow_none=True, places=3,
                               high=bounds.MAX_STORAGE)
    water_source = ma.fields.String(load_default=None, validate=validate.OneOf(WATER_SOURCES))
    staff_count = whole(load_default=None, validate=validate.Range(0, 10**6))
    last_inspection_date = input_date(load_default=None)
    last_inspection_authority = ma.fields.String(load_default="",
                                                 validate=validate.Length(max=300))


class UploadedFile(ma.fields.Raw):
    """A file part of a multipart/form-data body; a plain form field of that name is refused
    (422), where reading it as a file answered 500."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, FileStorage):
            raise ma.ValidationError("Send the file as a file part of the multipart body "
                                     "(a filename and its bytes), not as a text field.")
        return value


def uploaded_file():
    """The `file` field of an upload's body."""
    return UploadedFile(required=True, metadata={"type": "string", "format": "binary"})


class DocumentUploadSchema(ma.Schema):
    """The multipart/form-data body of an upload: the document's type and the file."""

    document_type = ma.fields.String(required=True, validate=validate.Length(1, 64))
    file = uploaded_file()


class DocumentSchema(ma.Schema):
    id = ma.fields.Integer()
    document_type_code = ma.fields.String()
    version = ma.fields.Integer()
    original_name = ma.fields.String()
    content_type = ma.fields.String()
    size = ma.fields.Integer()
    sha256 = ma.fields.String()


# The services' rule, which answers a shorter one with 422 and its message beside the field.
WITHDRAWAL_REASON = (f"Why, in at least {REASON_MIN_LENGTH} characters (or "
                     f"{REASON_MIN_IDEOGRAPHS} Chinese characters): withdrawal is final, "
                     f"and the reason is kept in the history.")


class WithdrawSchema(ma.Schema):
    comment = ma.fields.String(required=True, validate=validate.Length(max=2000),
                               metadata={"description": WITHDRAWAL_REASON})


class SubmittedSchema(ma.Schema):
    application = ma.fields.Nested(ApplicationSchema)
    completeness_deadline = ma.fields.Date()


class RegistrationSchema(ma.Schema):
    id = ma.fields.Integer()
    application_id = ma.fields.Integer()
    enterprise_id = ma.fields.Integer()
    establishment_id = ma.fields.Integer()
    gacc_category_code = ma.fields.String()
    china_number = ma.fields.String()
    listing_date = ma.fields.Date()
    valid_from = ma.fields.Date()
    valid_to = ma.fields.Date()
    status = ma.fields.String()
    regime = ma.fields.String()


class CertificateSchema(ma.Schema):
    id = ma.fields.Integer()
    number = ma.fields.String()
    registration_id = ma.fields.Integer()
    issued_at = ma.fields.AwareDateTime()
    revoked_at = ma.fields.AwareDateTime(allow_none=True)
    status = ma.fields.String()


class ConsignmentFilter(PageArgs):
    state = ma.fields.String(load_default=None,
                             validate=validate.OneOf([s.value for s in ConsignmentState]))


class LotSchema(ma.Schema):
    id = ma.fields.Integer()
    product_code = ma.fields.String()
    net_weight = decimal()
    gross_weight = decimal()
    weight_unit = ma.fields.String()
    packages_number = ma.fields.Integer()
    packages_kind = ma.fields.String()
    marks = ma.fields.String()


class ConsignmentCertificateSchema(ma.Schema):
    id = ma.fields.Integer()
    number = ma.fields.String()
    kind = ma.fields.String(metadata={"description": "phyto or vet"})
    issued_on = ma.fields.Date()
    replaces_id = ma.fields.Integer(allow_none=True)
    status = ma.fields.String(metadata={"description": "valid, or replaced by a newer one"})


class ConsignmentDocumentSchema(ma.Schema):
    """A supporting document of a consignment (one row per file: each upload of a type is a
    new document, numbered 1, 2, ... within its type)."""

    id = ma.fields.Integer()
    document_type = ma.fields.String(attribute="kind", metadata={
        "description": ", ".join(DOCUMENT_KINDS)})
    version = ma.fields.Integer(metadata={
        "description": "its number among the consignment's documents of its type, from 1"})
    original_name = ma.fields.String()
    content_type = ma.fields.String()
    size = ma.fields.Integer()
    sha256 = ma.fields.String()
    uploaded_at = ma.fields.AwareDateTime()


class ConsignmentSchema(ma.Schema):
    id = ma.fields.Integer()
    reference = ma.fields.String()
    registration_id = ma.fields.Integer()
    kind = ma.fields.String(metadata={"description": "phyto (phytosanitary certificate) or "
                                                     "vet (veterinary certificate)"})
    state = ma.fields.String()
    consignee_name = ma.fields.String()
    consignee_address = ma.fields.String()
    conveyance = ma.fields.String()
    crossing_code = ma.fields.String()
    origin_region_code = ma.fields.String()  # the request's origin, as sent (it was not shown)
    place_of_origin = ma.fields.String()
    production_from = ma.fields.Date(allow_none=True)
    production_to = ma.fields.Date(allow_none=True)
    storage_temperature = decimal(low=-60, high=40, allow_none=True,
                                  description="the storage temperature in °C, or null")
    submitted_on = ma.fields.Date(allow_none=True)
    deadline = ma.fields.Date(allow_none=True)
    refusal_reason = ma.fields.String()
    withdrawal_reason = ma.fields.String(dump_only=True, allow_none=True, metadata={
        "description": WITHDRAWAL_REASON_DOC})
    version = ma.fields.Integer()
    lots = ma.fields.List(ma.fields.Nested(LotSchema))
    documents = ma.fields.List(ma.fields.Nested(ConsignmentDocumentSchema))
    certificates = ma.fields.List(ma.fields.Nested(ConsignmentCertificateSchema))
    allowed_actions = ma.fields.List(ma.fields.String())


class ConsignmentWithdrawSchema(ma.Schema):
    reason = ma.fields.String(required=True, validate=validate.Length(max=2000),
                              metadata={"description": WITHDRAWAL_REASON})


class ConsignmentSubmittedSchema(ma.Schema):
    consignment = ma.fields.Nested(ConsignmentSchema)
    certificate_due = ma.fields.Date()
