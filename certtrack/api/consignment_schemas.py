"""What an exporter's system sends to make a consignment request: its header, a lot, a
document. The fields and lengths of the pages' forms (web/consignment_forms.py); the rules
on their values are the service's (services/consignments/drafts.py), which answers 422 with
the page's message beside the field."""

import marshmallow as ma
from marshmallow import validate

from certtrack.api.schemas import decimal, input_date, uploaded_file, whole
from certtrack.domain import bounds
from certtrack.models.consignment import CONVEYANCES, DOCUMENT_KINDS, PACKAGE_KINDS, WEIGHT_UNITS

PRINTED = "in Latin or Chinese script, as the certificate China's border reads prints it"


class ConsignmentInputSchema(ma.Schema):
    """A draft consignment request: the page's "New consignment" form."""

    registration_id = whole(required=True, validate=validate.Range(1, 2**31 - 1), metadata={
        "description": "one of the enterprise's China registrations in force "
                       "(GET /registrations); it decides the certificate's kind"})
    consignee_name = ma.fields.String(required=True, validate=validate.Length(max=300),
                                      metadata={"description": f"the consignee in China, "
                                                               f"{PRINTED}"})
    consignee_address = ma.fields.String(required=True, validate=validate.Length(max=1000),
                                         metadata={"description": f"its address, {PRINTED}"})
    conveyance = ma.fields.String(required=True, validate=validate.OneOf(CONVEYANCES))
    crossing_code = ma.fields.String(required=True, validate=validate.Length(max=64), metadata={
        "description": "the code of the point of entry, as the page's list has it (e.g. "
                       "dostyk_alashankou, a rail crossing; nur_zholy_khorgos, a road one): a "
                       "rail wagon enters at a rail crossing, a truck at a road one"})
    origin_region_code = ma.fields.String(required=True, validate=validate.Length(max=8),
                                          metadata={"description": "the region of origin, "
                                                                   "e.g. KZ-11"})
    place_of_origin = ma.fields.String(load_default="", validate=validate.Length(max=300),
                                       metadata={"description": f"the district, {PRINTED}"})
    production_from = input_date(load_default=None, allow_none=True, metadata={
        "description": "the first slaughter or production day (animal products), not after "
                       "today"})
    production_to = input_date(load_default=None, allow_none=True, metadata={
        "description": "the last slaughter or production day, not before the first"})
    storage_temperature = decimal(low=-60, high=40, load_default=None, allow_none=True,
                                  description="the storage temperature in °C (animal "
                                              "products)")


class LotInputSchema(ma.Schema):
    """A lot: the page's "Add a lot" form."""

    product_code = ma.fields.String(required=True, validate=validate.Length(1, 64), metadata={
        "description": "a product the consignment's registration covers"})
    net_weight = decimal(required=True, high=bounds.MAX_WEIGHT)
    gross_weight = decimal(required=True, high=bounds.MAX_WEIGHT)
    weight_unit = ma.fields.String(required=True, validate=validate.OneOf(WEIGHT_UNITS))
    packages_number = whole(required=True, validate=validate.Range(1, bounds.MAX_PACKAGES),
                            metadata={"description": "1 for bulk"})
    packages_kind = ma.fields.String(required=True, validate=validate.OneOf(PACKAGE_KINDS))
    marks = ma.fields.String(load_default="", validate=validate.Length(max=2000), metadata={
        "description": f"wagon, container and seal numbers, {PRINTED}"})


class ConsignmentDocumentUploadSchema(ma.Schema):
    """The multipart/form-data body of a consignment's document: its type and the file."""

    document_type = ma.fields.String(required=True, validate=validate.OneOf(DOCUMENT_KINDS))
    file = uploaded_file()
