"""Administrators' pages for market access: each product's protocol with China, which gates
applications and consignments."""

from flask import Blueprint, g, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import DateField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from certtrack.domain.workflow import Role
from certtrack.services import market_access, reference
from certtrack.web import consignment_labels, labels
from certtrack.web.access import roles_required
from certtrack.web.forms import BaseForm
from certtrack.web.perform import Page, WebAction, show
from certtrack.web.validators import PastDate

bp = Blueprint("admin_market_access", __name__, url_prefix="/admin/market-access")
bp.before_request(roles_required(Role.admin))


class MarketAccessForm(BaseForm):
    protocol_status = SelectField(_l("Protocol status"), choices=[],
                                  validators=[DataRequired()])
    protocol_name = StringField(_l("Protocol"), validators=[Length(max=1000)],
                                description=_l("Its title as signed, e.g. “Protocol on "
                                               "phytosanitary requirements for wheat exported "
                                               "from Kazakhstan to China”."))
    protocol_name_kk = StringField(_l("Protocol in Kazakh"), validators=[Length(max=1000)],
                                   description=_l("Shown in that language; when empty, the "
                                                  "title above is shown."))
    protocol_name_ru = StringField(_l("Protocol in Russian"), validators=[Length(max=1000)])
    protocol_name_zh = StringField(_l("Protocol in Chinese"), validators=[Length(max=1000)])
    protocol_date = DateField(_l("Signed on"),
                              validators=[Optional(), PastDate(market_access.PROTOCOL_DATE_FUTURE)],
                              description=_l("When only the month or the year is known, pick "
                                             "any day of it and say so below."))
    protocol_date_precision = SelectField(_l("How much of the date is known"), choices=[],
                                          default="day", validators=[DataRequired()])
    accepted_regions = StringField(
        _l("Regions of origin China accepts"), validators=[Length(max=2000)],
        description=_l("Region codes separated by spaces, e.g. KZ-11 KZ-39; empty when the "
                       "protocol does not zone by region."))
    source = TextAreaField(_l("Source"), validators=[DataRequired(), Length(max=2000)])
    confidence = SelectField(_l("Confidence"), choices=[], validators=[DataRequired()])
    version = HiddenField()


def _form(row, formdata=None) -> MarketAccessForm:
    form = MarketAccessForm(formdata, obj=row)
    form.protocol_status.choices = list(consignment_labels.PROTOCOL_STATUSES.items())
    form.protocol_date_precision.choices = labels.choices(labels.DATE_PRECISIONS)
    form.confidence.choices = labels.choices(labels.CONFIDENCES)
    return form


def _saved(changed: bool) -> tuple[str, str]:
    return (_("Saved. The gate applies it from the next application or consignment."),
            "success") if changed else (_("Nothing was changed."), "info")


EDIT = WebAction(_form, lambda user, row, form: market_access.update_market_access(
    user, row, market_access.MarketAccessInput.from_mapping(form.data)), _saved, key="form",
    then=lambda _row, _changed: url_for(".products"))
PAGE = Page(url=lambda _row: url_for(".products"),
            render=lambda row, failed: render_template("admin/market_access_form.html",
                                                       form=failed["form"], row=row))


@bp.get("/")
def products():
    return render_template("admin/market_access.html",
                           rows=market_access.list_access_rows(g.user),
                           regions={region.code: region for region in reference.regions()})


@bp.route("/<product_code>", methods=["GET", "POST"])
def edit(product_code: str):
    return show(EDIT, market_access.get_access_row(g.user, product_code), PAGE)
