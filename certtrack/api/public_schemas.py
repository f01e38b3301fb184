"""The schemas of the operations anyone may call: verification and the public register."""

import marshmallow as ma
from marshmallow import validate

from certtrack.api.schemas import PageArgs


class ProductNameSchema(ma.Schema):
    hs_code = ma.fields.String()
    name = ma.fields.String(metadata={"description": "in the language asked for"})
    covered = ma.fields.Boolean(allow_none=True, metadata={
        "description": "a certificate of export eligibility's product: whether its registration "
                       "still covers it (a change GACC accepted since may have removed it); "
                       "null for the goods of a phytosanitary or veterinary certificate and "
                       "for the register's rows"})


class VerifyArgs(ma.Schema):
    number = ma.fields.String(required=True, validate=validate.Length(1, 32))
    code = ma.fields.String(required=True, validate=validate.Length(1, 64))


class VerificationSchema(ma.Schema):
    found = ma.fields.Boolean()
    kind = ma.fields.String(metadata={"description": "registration (a certificate of export "
                                      "eligibility, KZ-CN-…), phyto (a phytosanitary "
                                      "certificate, KZ-PC-…) or vet (a veterinary certificate, "
                                      "KZ-VC-…)"})
    number = ma.fields.String()
    status = ma.fields.String()
    issued_at = ma.fields.String(metadata={"description": "the moment of issue, in UTC"})
    issued_on = ma.fields.Date(metadata={
        "description": "the day of issue in Kazakhstan (Asia/Almaty), as printed"})
    authority = ma.fields.String(metadata={
        "description": "the issuing authority, in the language asked for (Accept-Language)"})
    products = ma.fields.List(ma.fields.Nested(ProductNameSchema), metadata={
        "description": "a certificate of export eligibility's products, a phytosanitary or "
                       "veterinary certificate's goods, as issued"})
    enterprise = ma.fields.String()
    china_number = ma.fields.String()
    pdf_sha256 = ma.fields.String()
    registration_status_at_issue = ma.fields.String(metadata={
        "description": "a phytosanitary or veterinary certificate's registration on its day of "
                       "issue, as known now: suspended when a suspension recorded later was in "
                       "effect that day"})
    registration_status = ma.fields.String(metadata={
        "description": "a phytosanitary or veterinary certificate's registration today: goods "
                       "produced while it is suspended may be refused at the border"})
    cancelled_on = ma.fields.Date(allow_none=True, metadata={
        "description": "the day a phytosanitary or veterinary certificate was cancelled (status "
                       "cancelled); null otherwise"})
    cancellation_ground = ma.fields.String(allow_none=True, metadata={
        "description": "why it was cancelled: not_exported (its goods did not leave), "
                       "issued_in_error, withdrawn (its exporter withdrew the consignment being "
                       "corrected) or refused (at the corrected consignment's new inspection); "
                       "null when not cancelled, or cancelled before the grounds were recorded"})


class RegisterArgs(PageArgs):
    q = ma.fields.String(load_default="", validate=validate.Length(max=200))
    category = ma.fields.String(load_default=None, validate=validate.Length(max=64))
    region = ma.fields.String(load_default=None, validate=validate.Length(max=8))
    product = ma.fields.String(load_default="", validate=validate.Length(max=200), metadata={
        "description": "a product's HS code or a part of its name, in any language: the "
                       "registrations that cover it now"})


class RegisterEntrySchema(ma.Schema):
    enterprise = ma.fields.String()
    bin = ma.fields.String()
    establishment = ma.fields.String()
    region_code = ma.fields.String()
    gacc_category_code = ma.fields.String()
    china_number = ma.fields.String()
    valid_from = ma.fields.Date()
    valid_to = ma.fields.Date()
    status = ma.fields.String()
    products = ma.fields.List(ma.fields.Nested(ProductNameSchema), metadata={
        "description": "the products the registration covers now"})
    products_produced_from = ma.fields.Date(allow_none=True, metadata={
        "description": "in force after a suspension: only products produced on or after this "
                       "day are accepted"})
    suspended_until = ma.fields.Date(allow_none=True, metadata={
        "description": "suspended: the last day of a time-boxed suspension (null: until it is "
                       "lifted)"})
