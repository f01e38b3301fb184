"""The exporter's forms with their choices: enterprise, establishment, application, products."""

from flask import g, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField

from certtrack.domain.vocabulary import volume_units
from certtrack.services import applications, enterprises, name_changes, reference
from certtrack.services.numerals import with_remark
from certtrack.web import labels
from certtrack.web.forms import (
    ApplicationForm,
    DocumentForm,
    EnterpriseForm,
    EstablishmentForm,
    ProductLineForm,
)


def _locale() -> str:
    return str(get_locale())


def _region_choices():
    return [("", _("Choose…"))] + [(r.code, with_remark(r.name_in(_locale()), r.code))
                                   for r in reference.regions()]


class _ScriptsSaidTogether:
    """A form whose fields failed says, with their errors, the names and addresses the
    service would refuse for their script (a Cyrillic name in English came only once the
    other fields were right)."""

    of_establishment = False

    def validate(self, extra_validators=None) -> bool:
        if super().validate(extra_validators):
            return True
        self.add_errors({name: messages for name, messages in enterprises.script_errors(
            self.data, self.of_establishment).items() if name in self and not self[name].errors})
        return False


class ExporterEnterpriseForm(_ScriptsSaidTogether, EnterpriseForm):
    """The enterprise's profile."""


class NewEstablishmentForm(_ScriptsSaidTogether, EstablishmentForm):
    """An establishment added."""

    of_establishment = True


def enterprise_form(enterprise=None, formdata=None) -> EnterpriseForm:
    """The enterprise profile; the BIN is given once, at registration."""
    form = ExporterEnterpriseForm(formdata, obj=enterprise)
    form.region_code.choices = _region_choices()
    form.legal_form.choices = labels.choices(labels.LEGAL_FORMS, _("Choose…"))
    if enterprise is not None:
        del form.bin
        _show_waiting(form, formdata, name_changes.waiting_values(enterprise))
    return form


class EstablishmentEditForm(NewEstablishmentForm):
    """An establishment's edit; the box confirms an address changed in some languages only
    (the page shows it when the service asks for it, or once ticked)."""

    address_in_part = BooleanField(_l("Only these languages' address changes: the others "
                                      "stay as they are (a spelling corrected)"))


def establishment_form(establishment=None, formdata=None) -> EstablishmentForm:
    form = (NewEstablishmentForm if establishment is None else EstablishmentEditForm)(
        formdata, obj=establishment)
    form.region_code.choices = _region_choices()
    form.type.choices = labels.choices(labels.ESTABLISHMENT_TYPES, _("Choose…"))
    if establishment is not None:
        _show_waiting(form, formdata, name_changes.waiting_values(establishment.enterprise,
                                                                  establishment))
        form.registered = name_changes.holds_registration(establishment.enterprise,
                                                          establishment)
    return form


def _show_waiting(form, formdata, waiting: dict[str, str]) -> None:
    """A change waiting for the registrar is what the form starts from, and it says so."""
    form.waiting_change = bool(waiting)
    if formdata is None:
        for field, value in waiting.items():
            if field in form:
                form[field].data = value


def application_form(application=None, formdata=None) -> ApplicationForm:
    """The questionnaire, offering the enterprise's establishments and the GACC categories."""
    form = ApplicationForm(formdata, obj=application)
    enterprise = enterprises.own_enterprise(g.user)
    form.establishment_id.choices = [(0, _("Choose…"))] + [
        (e.id, e.name_in(_locale())) for e in enterprise.establishments]
    form.gacc_category_code.choices = [("", _("Choose…"))] + [
        (c.code, c.name_in(_locale())) for c in reference.categories()]
    chosen = request.args.get("category")
    if application is None and formdata is None and chosen in {
            code for code, _name in form.gacc_category_code.choices[1:]}:
        form.gacc_category_code.data = chosen  # the product finder's or a registration's
    site = request.args.get("establishment", type=int)
    if application is None and formdata is None and site in {
            id_ for id_, _name in form.establishment_id.choices[1:]}:
        form.establishment_id.data = site  # the registration's that ended (Registrations)
    renewal = application is not None and application.renewal_of_id is not None
    form.kind.choices = [(code, text) for code, text in labels.choices(labels.KINDS)
                         if renewal or code != "renewal"]  # started from its registration
    form.haccp_status.choices = labels.choices(labels.HACCP_STATUSES, "—")
    form.water_source.choices = labels.choices(labels.WATER_SOURCES, "—")
    return form


def product_form(application, formdata=None) -> ProductLineForm:
    """A product line, offering the category's products that match the search (`?q=`)."""
    form = ProductLineForm(formdata)
    found = reference.search_products(application.gacc_category_code, request.args.get("q", ""))
    form.product_code.choices = [(p.code, f"{p.hs_code} — {p.name_in(_locale())}") for p in found]
    units = volume_units(application.gacc_category_code)
    form.volume_unit.choices = [(code, text) for code, text in labels.choices(labels.VOLUME_UNITS)
                                if code in units]
    return form


def document_form(application, formdata=None) -> DocumentForm:
    """An upload, offering the document types with the application's required ones first; the
    type the checklist's link names (`?document=`) is chosen already, else the first required
    one still to upload (after an upload, the next, not the first of the list again)."""
    form = DocumentForm(formdata)
    required = [t.code for t in applications.required_document_types(application)]
    form.document_type.choices = [
        (t.code, t.name_in(_locale()) if t.code in required
         else _("%(name)s (optional)", name=t.name_in(_locale())))  # 材料（可选）: no space
        for t in sorted(reference.document_types(), key=lambda t: t.code not in required)]
    if formdata is None:
        form.document_type.data = _type_to_upload(application, set(required), [
            code for code, _name in form.document_type.choices])
    return form


def _type_to_upload(application, required: set[str], offered: list[str]) -> str | None:
    """The type the checklist's link names, else the first required type offered with no
    document or a rejected one (None: the list's first)."""
    wanted = request.args.get("document")
    if wanted in offered:
        return wanted
    latest = applications.latest_documents(application)
    return next((code for code in offered if code in required and (
        code not in latest or latest[code].review_status == "rejected")), None)
