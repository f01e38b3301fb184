"""The laboratory's schemas: the samples sent to it, the limits it posts results for, and the
results."""

import marshmallow as ma
from marshmallow import validate

from certtrack.api.schemas import PageArgs, decimal, input_date, whole
from certtrack.domain.compliance import LimitKind

LANGUAGES = ("en", "ru", "kk", "zh")
PARAMETER_NAMES_DOC = {"type": "object", "additionalProperties": {"type": "string"},
                       "description": "the parameter's name per language: en, ru, kk, zh"}


class SampleFilter(PageArgs):
    pending = ma.fields.Boolean(load_default=None, metadata={
        "description": "true: the samples still awaited, whose application is in laboratory "
                       "testing (results may be posted, whether or not some are in), as the "
                       "laboratory's page lists them; false: the others; absent: all"})


def _parameter_names(row) -> dict[str, str]:
    """A limit's or a result's parameter named in every language."""
    return {language: row.parameter_in(language) for language in LANGUAGES}


def _parameter_code(row) -> str | None:
    limit = row.limit
    return limit.parameter_code if limit is not None and limit.parameter == row.parameter \
        else None


class SampleLimitSchema(ma.Schema):
    """A parameter a result of the sample may be posted for: a limit of its product within
    the laboratory's scope of accreditation, as the laboratory's result form offers them."""

    id = ma.fields.Integer(metadata={"description": "the limit_id to post a result of this "
                                                    "parameter with"})
    parameter = ma.fields.String(metadata={"description": "the parameter's name in English"})
    parameter_code = ma.fields.String(allow_none=True, metadata={
        "description": "the parameter's code (lab_parameters.csv), e.g. deoxynivalenol"})
    parameter_names = ma.fields.Function(_parameter_names, metadata=PARAMETER_NAMES_DOC)
    matrix = ma.fields.String(metadata={"description": "what the limit applies to, in English"})
    kind = ma.fields.String(metadata={"description": "max: the value must not exceed max_value; "
                                                     "not_detected: a banned substance, any "
                                                     "detection fails; absent: a quarantine "
                                                     "pest, a presence/absence test"})
    presence_absence = ma.fields.Function(
        lambda row: row.kind == LimitKind.absent,
        metadata={"type": "boolean", "description": "true: post `detected`, not a value"})
    max_value = decimal(attribute="value", allow_none=True)
    unit = ma.fields.Function(lambda row: row.unit or None, allow_none=True,
                              metadata={"type": "string", "description": "the unit of max_value "
                                                                         "(null for a presence/"
                                                                         "absence test)"})


class LabResultSchema(ma.Schema):
    id = ma.fields.Integer()
    sample_id = ma.fields.Integer()
    limit_id = ma.fields.Integer(allow_none=True, metadata={
        "description": "the limit the result was posted for and judged by (one of the "
                       "sample's `limits`, or one replaced since by a newer standard)"})
    parameter = ma.fields.String(metadata={"description": "the parameter's name in English"})
    parameter_code = ma.fields.Function(
        _parameter_code, allow_none=True,
        metadata={"type": "string", "description": "the parameter's code (lab_parameters.csv), "
                                                   "e.g. deoxynivalenol; null when unknown"})
    parameter_names = ma.fields.Function(_parameter_names, metadata=PARAMETER_NAMES_DOC)
    value = decimal(allow_none=True)
    unit = ma.fields.String(allow_none=True)
    loq = decimal(allow_none=True)
    detected = ma.fields.Boolean(allow_none=True)
    tested_on = ma.fields.Date()
    verdict = ma.fields.String()
    reason = ma.fields.String()
    limit_value = decimal(allow_none=True)
    limit_unit = ma.fields.String(allow_none=True)
    limit_source = ma.fields.String()
    correction = ma.fields.String(metadata={"description": "why it was added where the sample "
                                                           "had a result for the limit already, "
                                                           "or empty"})


class SampleSchema(ma.Schema):
    id = ma.fields.Integer()
    code = ma.fields.String()
    product_code = ma.fields.String()
    taken_on = ma.fields.Date()
    matrix = ma.fields.String()
    limits = ma.fields.List(ma.fields.Nested(SampleLimitSchema), metadata={
        "description": "the parameters a result may be posted for: the limits of the sample's "
                       "product within the laboratory's scope of accreditation"})
    results = ma.fields.List(ma.fields.Nested(LabResultSchema))


class ResultInputSchema(ma.Schema):
    limit_id = whole(
        required=True, validate=validate.Range(1, 2**31 - 1),
        metadata={"description": "the parameter the result is for: the `id` of one of the "
                                 "sample's `limits` (GET /laboratory/samples/{id})"})
    value = decimal(load_default=None, allow_none=True)
    unit = ma.fields.String(load_default=None, allow_none=True, validate=validate.Length(max=16))
    loq = decimal(load_default=None, allow_none=True, description=(
        "the method's limit of quantification, in the unit of `value`; needed with "
        "`detected: false` against a maximum, and at or below it"))
    detected = ma.fields.Boolean(load_default=None, allow_none=True)
    method = ma.fields.String(load_default="", validate=validate.Length(max=120))
    tested_on = input_date(required=True)
    valid_days = whole(load_default=None, allow_none=True, validate=validate.Range(1, 3650),
                       metadata={"description": "the days the result counts, its test day the "
                                                "first; none when it does not expire. A chilled "
                                                "product's counts 30 days at most, and 30 when "
                                                "none is sent"})
    correction = ma.fields.String(
        load_default="", validate=validate.Length(max=1000),
        metadata={"description": "why the result is added where the sample has a result for "
                                 "the same limit already (a retest, a corrected entry), in "
                                 "a few words (at least 10 characters, or 4 Chinese "
                                 "characters); required then, as "
                                 "the newer result replaces the older"})
