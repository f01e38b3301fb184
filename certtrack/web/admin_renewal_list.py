"""Administrators' pages for GACC's Order 280 renewal list of the reference data."""

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length

from certtrack.domain.workflow import Role
from certtrack.services import renewal_list
from certtrack.services.errors import ValidationFailed
from certtrack.web import labels
from certtrack.web.access import roles_required
from certtrack.web.forms import BaseForm, render_form

bp = Blueprint("admin_renewal_list", __name__, url_prefix="/admin/renewal-list")
bp.before_request(roles_required(Role.admin))


class ListingForm(BaseForm):
    on_list = BooleanField(_l("On GACC's renewal list: must apply 3 to 12 months before expiry"))
    source = TextAreaField(_l("Source"), validators=[DataRequired(), Length(max=2000)])
    confidence = SelectField(_l("Confidence"), choices=[], validators=[DataRequired()])


def _form(category, formdata=None) -> ListingForm:
    form = ListingForm(formdata, on_list=category.renewal_list_280,
                       source=category.renewal_list_source,
                       confidence=category.renewal_list_confidence)
    form.confidence.choices = labels.choices(labels.CONFIDENCES)
    return form


@bp.get("/")
def categories():
    return render_template("admin/renewal_list.html",
                           rows=renewal_list.list_categories(g.user))


@bp.route("/<category_code>", methods=["GET", "POST"])
def edit(category_code: str):
    category = renewal_list.get_category(g.user, category_code)
    form = _form(category, request.form if request.method == "POST" else None)
    if request.method == "POST" and form.validate():
        try:
            changed = renewal_list.update_listing(g.user, category, form.data)
        except ValidationFailed as error:
            form.add_errors(error.errors)
        else:
            flash(_("Saved.") if changed else _("Nothing was changed."),
                  "success" if changed else "info")
            return redirect(url_for(".categories"))
    return render_form("admin/renewal_list_form.html", form, category=category)
