"""Webhooks on the account page of exporters and laboratories: registered, disabled, and the
log of their deliveries."""

from flask import Blueprint, g, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, StringField
from wtforms.validators import DataRequired, Length

from certtrack.domain.workflow import Role
from certtrack.services import sent_twice, webhooks
from certtrack.services.local_dates import format_moment
from certtrack.web.access import roles_required
from certtrack.web.forms import BaseForm
from certtrack.web.perform import Page, WebAction, perform, show
from certtrack.web.validators import reason_validators, ticked

bp = Blueprint("webhooks", __name__, url_prefix="/account/webhooks")
bp.before_request(roles_required(Role.exporter, Role.laboratory))


class WebhookForm(BaseForm):
    url = StringField(_l("Address of your endpoint"),
                      validators=[DataRequired(), Length(max=500)],
                      description=_l("An https:// address of your system; certtrack posts each "
                                     "notification of your account to it as JSON."))


class DisableWebhookForm(BaseForm):
    reason = StringField(_l("Reason"),
                         validators=reason_validators(500))
    confirm = BooleanField(_l("I understand that certtrack stops sending to this address "
                              "for good."),
                           validators=ticked())


# What a failed delivery's error means, by a part of the text the network library wrote
# (kept whole in the row, and shown on hover): said in the reader's words.
_PROBLEMS = (
    ("CERTIFICATE_VERIFY_FAILED", _l("The address's TLS certificate could not be verified.")),
    ("timed out", _l("No answer in time.")),
    ("Connection refused", _l("The connection was refused.")),
    ("Name or service not known", _l("The address's host name is unknown.")),
    ("Temporary failure in name resolution", _l("The address's host name is unknown.")),
)


def delivery_problem(error: str) -> str:
    """A delivery's last error in the reader's words when it is a known one, else as written."""
    return next((str(text) for part, text in _PROBLEMS if part in (error or "")), error)


def _disable_form(hook, formdata=None) -> DisableWebhookForm:
    """The form that disables `hook`, its fields' ids made unique (one page shows several)."""
    form = DisableWebhookForm(formdata)
    for name in ("csrf_token", "reason", "confirm"):
        form[name].id = form[name].label.field_id = f"webhook{hook.id}-{name}"
    return form


def _page(_target, failed: dict) -> str:
    hooks = webhooks.list_webhooks(g.user)
    return render_template(
        "auth/webhooks.html", form=failed.get("form") or WebhookForm(), webhooks=hooks,
        disable_forms={hook.id: failed.get(f"disable_{hook.id}") or _disable_form(hook)
                       for hook in hooks},
        deliveries=webhooks.deliveries(g.user), signature_header=webhooks.SIGNATURE_HEADER,
        delivery_problem=delivery_problem)


def _registered_before(user, _target, form) -> tuple[str, str] | None:
    """The form sent twice (a double click, Back and the form sent again): the webhook its
    first sending registered, said and led to, rather than "already active"."""
    earlier = sent_twice.webhook(user, form.url.data)
    if earlier is None:
        return None
    return (_("You already registered the webhook %(url)s, at %(time)s: the form was sent "
              "twice, and nothing was registered again.", url=earlier.record.url,
              time=format_moment(earlier.at)), url_for("webhooks.index"))


PAGE = Page(url=lambda _target: url_for("webhooks.index"), render=_page)
REGISTER = WebAction(lambda _t, formdata: WebhookForm(formdata),
                     lambda user, _t, form: webhooks.register_webhook(user, form.url.data),
                     lambda hook: _("Deliveries to %(url)s start with your next notification.",
                                    url=hook.url), key="form", repeat=_registered_before)
DISABLE = WebAction(_disable_form,
                    lambda user, hook, form, webhook_id: webhooks.disable_webhook(
                        user, webhook_id, form.reason.data),
                    _l("The webhook is disabled."), key="disable_{webhook_id}")


@bp.route("", methods=["GET", "POST"])
def index():
    return show(REGISTER, None, PAGE)


@bp.post("/<id:webhook_id>/disable")
def disable(webhook_id: int):
    return perform(DISABLE, webhooks.get_webhook(g.user, webhook_id), PAGE,
                   webhook_id=webhook_id)
