"""Administrators' page of the audit trail: every recorded action, filtered and paged, with
the chain's length and its newest signed anchor."""

import itertools

from flask import Blueprint, Response, g, render_template, request, stream_with_context
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional, ValidationError

from certtrack.services import audit_log
from certtrack.web import labels
from certtrack.web.access import roles_required
from certtrack.web.bounds import page_number
from certtrack.web.forms import BaseForm

bp = Blueprint("admin_audit", __name__, url_prefix="/admin")
bp.before_request(roles_required("admin"))


class AuditFilterForm(BaseForm):
    """The trail's filters; sent with GET, so it carries no CSRF token."""

    class Meta:
        csrf = False

    action = SelectField(_l("Action"), choices=[], validators=[Optional()])
    actor = StringField(_l("Who (name or e-mail)"), validators=[Optional(), Length(max=200)])
    application = StringField(_l("Application"), validators=[Optional(), Length(max=20)],
                              description=_l("Its reference, e.g. A-000042."))
    since = DateField(_l("From"), validators=[Optional()])
    until = DateField(_l("To"), validators=[Optional()])
    order = SelectField(_l("Order"), choices=[SelectChoice("newest", _l("Newest first")),
                                              SelectChoice("oldest", _l("Oldest first"))],
                        validators=[Optional()])

    def validate_application(self, field):
        if field.data and audit_log.application_id(field.data) is None:
            raise ValidationError(_("Type an application's reference, e.g. A-000042."))

    def validate_until(self, field):
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError(_("The last day comes on or after the first."))


def _form() -> AuditFilterForm:
    form = AuditFilterForm(request.args)
    form.action.choices = [SelectChoice("", _("All actions"))] + [
        SelectChoice(code, text) for code, text in sorted(
            ((code, str(text)) for code, text in labels.ACTIONS.items()), key=lambda c: c[1])]
    return form


@bp.get("/audit")
def trail():
    """The trail, newest first; filters that do not read (a bad date, an unknown reference)
    answer 400 with the message beside the field and no list."""
    form = _form()
    chain = audit_log.chain_state(g.user)
    if request.args and not form.validate():
        return render_template("admin/audit.html", form=form, chain=chain, pagination=None,
                               reference=audit_log.application_reference), 400
    pagination = audit_log.list_events(g.user, _filters(form), page_number())
    return render_template("admin/audit.html", form=form, chain=chain, pagination=pagination,
                           reference=audit_log.application_reference,
                           accounts=audit_log.accounts_named(pagination.items),
                           registrations=audit_log.registrations_named(pagination.items))


def _filters(form: AuditFilterForm) -> audit_log.AuditFilters:
    return audit_log.AuditFilters(
        action=form.action.data or "", actor=form.actor.data or "",
        application=form.application.data or "", since=form.since.data,
        until=form.until.data, oldest_first=form.order.data == "oldest")


@bp.get("/audit.csv")
def trail_csv():
    """The trail under the page's filters as a CSV download, streamed (the whole trail can be
    large); filters that do not read answer as the page does."""
    form = _form()
    if request.args and not form.validate():
        return trail()
    names = {code: str(text) for code, text in labels.ACTIONS.items()}
    lines = audit_log.events_csv(g.user, _filters(form), names)
    return Response(stream_with_context(itertools.chain(["\ufeff"], lines)), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=certtrack-audit.csv",
                             "X-Content-Type-Options": "nosniff"})
