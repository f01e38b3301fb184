"""Administrators' pages for GACC's Order 280 renewal list of the reference data."""

from flask import Blueprint, g, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length

from certtrack.domain.workflow import Role
from certtrack.services import renewal_list
from certtrack.web import labels
from certtrack.web.access import roles_required
from certtrack.web.forms import BaseForm
from certtrack.web.perform import Page, WebAction, show

bp = Blueprint("admin_renewal_list", __name__, url_prefix="/admin/renewal-list")
bp.before_request(roles_required(Role.admin))


class ListingForm(BaseForm):
    on_list = BooleanField(_l("On GACC's renewal list: must apply 3 to 12 months before expiry"))
    source = TextAreaField(_l("Source"), validators=[DataRequired(), Length(max=2000)])
    confidence = SelectField(_l("Confidence"), choices=[], validators=[DataRequired()])
    version = HiddenField()


def _form(category, formdata=None) -> ListingForm:
    form = ListingForm(formdata, on_list=category.renewal_list_280,
                       source=category.renewal_list_source,
                       confidence=category.renewal_list_confidence, version=category.version)
    form.confidence.choices = labels.choices(labels.CONFIDENCES)
    return form


@bp.get("/")
def categories():
    return render_template("admin/renewal_list.html",
                           rows=renewal_list.list_categories(g.user))


def _saved(changed: bool) -> tuple[str, str]:
    return (_("Saved."), "success") if changed else (_("Nothing was changed."), "info")


EDIT = WebAction(_form, lambda user, category, form: renewal_list.update_listing(
    user, category, renewal_list.ListingInput.from_mapping(form.data)), _saved, key="form",
    then=lambda _category, _changed: url_for(".categories"))
PAGE = Page(url=lambda _category: url_for(".categories"),
            render=lambda category, failed: render_template(
                "admin/renewal_list_form.html", form=failed["form"], category=category,
                affected=renewal_list.registrations_in_force(category)))


@bp.route("/<category_code>", methods=["GET", "POST"])
def edit(category_code: str):
    return show(EDIT, renewal_list.get_category(g.user, category_code), PAGE)
