"""Administrators' pages for the laboratory limits of the reference data."""

from decimal import Decimal

from flask import Blueprint, g, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.validators import DataRequired, Length, Optional

from certtrack.domain.workflow import Role
from certtrack.services import limits, reference
from certtrack.services.laboratory import plain
from certtrack.web import labels
from certtrack.web.access import roles_required
from certtrack.web.forms import BaseForm
from certtrack.web.number_fields import DecimalField
from certtrack.web.perform import Page, WebAction, show

bp = Blueprint("admin_limits", __name__, url_prefix="/admin/limits")
bp.before_request(roles_required(Role.admin))


class LimitForm(BaseForm):
    # No range here: the service says why a limit is neither negative nor 0 (a form's "at
    # least 0" refused the 0 it allowed).
    value = DecimalField(_l("Limit value"), places=None, validators=[Optional()])
    unit = StringField(_l("Unit"), validators=[Optional(), Length(max=16)],
                       description=_l("mg/kg or µg/kg (ppm and ppb are stored as these)."))
    matrix = StringField(_l("Matrix in English"), validators=[DataRequired(), Length(max=200)])
    matrix_kk = StringField(_l("Matrix in Kazakh"), validators=[Optional(), Length(max=300)])
    matrix_ru = StringField(_l("Matrix in Russian"), validators=[Optional(), Length(max=300)])
    matrix_zh = StringField(_l("Matrix in Chinese"), validators=[Optional(), Length(max=300)])
    # Boxes to tick, each product by its name in the page's language. The service refuses
    # none ticked, and a code that is not a product (a tampered form), naming it; no `required`
    # flag, which the browser would read as "tick every box".
    products = SelectMultipleField(
        _l("Products"), choices=[], validate_choice=False, option_widget=widgets.CheckboxInput(),
        description=_l("Tick each product the limit applies to."))
    source = TextAreaField(_l("Source"), validators=[DataRequired(), Length(max=2000)],
                           description=_l("In English. The reference file’s translations of "
                                          "the source are shown until it is changed here."))
    confidence = SelectField(_l("Confidence"), choices=[], validators=[DataRequired()])
    required = BooleanField(_l("A result is required for a positive conclusion"))
    version = HiddenField()


def _limit_form(row, formdata=None) -> LimitForm:
    form = LimitForm(formdata, obj=row)
    form.confidence.choices = labels.choices(labels.CONFIDENCES)
    form.products.choices = _product_names()
    if formdata is None:
        form.products.data = row.products.split()
        if row.value is not None:
            form.value.data = Decimal(plain(row.value))
    return form


def _product_names() -> list[tuple[str, str]]:
    """Each catalogue product as (code, name in the page's language)."""
    locale = str(get_locale())
    return [(p.code, p.name_in(locale)) for p in reference.search_products()]


@bp.get("/")
def limits_list():
    text, product, kind = (request.args.get(name, "") for name in ("q", "product", "kind"))
    rows = limits.list_limits(g.user, text=text, product=product, kind=kind)
    return render_template("admin/limits.html", rows=rows, q=text, product=product, kind=kind,
                           products=_product_names())


def _saved(row) -> tuple[str, str]:
    if row is None:
        return _("Nothing was changed."), "info"
    return _("The limit for %(parameter)s was saved.",
             parameter=row.parameter_in(str(get_locale()))), "success"


def _update(user, row, form):
    data = {**form.data, "products": " ".join(form.products.data or ())}
    return row if limits.update_limit(user, row, limits.LimitInput.from_mapping(data)) else None


EDIT = WebAction(_limit_form, _update, _saved, key="form",
                 then=lambda _row, _saved_row: url_for(".limits_list"))
PAGE = Page(url=lambda _row: url_for(".limits_list"),
            render=lambda row, failed: render_template("admin/limit_form.html",
                                                       form=failed["form"], limit=row))


@bp.route("/<id:limit_id>", methods=["GET", "POST"])
def edit_limit(limit_id: int):
    return show(EDIT, limits.get_limit(g.user, limit_id), PAGE)
