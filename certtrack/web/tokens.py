"""Personal access tokens on the account page: created (the secret shown once) and revoked."""

from flask import Blueprint, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectMultipleField, StringField, widgets
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length

from certtrack.services import creation_keys, tokens
from certtrack.services.errors import Conflict, ValidationFailed
from certtrack.services.local_dates import format_moment
from certtrack.web import labels
from certtrack.web.account_sessions import security_context
from certtrack.web.forms import BaseForm, ChangePasswordForm, add_field
from certtrack.web.number_fields import IntegerField
from certtrack.web.perform import KEY_FIELD
from certtrack.web.validators import NumberRange, reason_validators, ticked

bp = Blueprint("tokens", __name__, url_prefix="/account/tokens")


class TokenForm(BaseForm):
    name = StringField(_l("Token name"), validators=[DataRequired(), Length(max=100)],
                       description=_l("Say which system uses it, e.g. “ERP export module”."))
    scopes = SelectMultipleField(
        _l("Scopes"),
        choices=[SelectChoice(code, text) for code, text in labels.TOKEN_SCOPES.items()],
        default=["read"], validators=[DataRequired()],
        widget=widgets.ListWidget(prefix_label=False), option_widget=widgets.CheckboxInput())
    days = IntegerField(_l("Valid for (days)"), default=90,
                        validators=[InputRequired(), NumberRange(1, tokens.MAX_DAYS)])


def new_token_form(formdata=None) -> TokenForm:
    """The new-token form with its one-time key (services.creation_keys), made when the form
    is shown: sent twice, the form creates one token."""
    form = TokenForm(formdata)
    add_field(form, "creation_key", StringField(
        default=creation_keys.new_key if formdata is None else None, render_kw=KEY_FIELD),
        formdata)
    return form


class RevokeTokenForm(BaseForm):
    reason = StringField(_l("Reason"), validators=reason_validators(500))
    confirm = BooleanField(_l("I understand that systems using this token stop working."),
                           validators=ticked())


def revoke_form(token, formdata=None) -> RevokeTokenForm:
    """The form that revokes `token`, its fields' ids made its own (a page shows one per
    token: shared ids made the second form's label tick the first form's box); the names,
    `csrf_token` included, stay those the server reads."""
    form = RevokeTokenForm(formdata)
    for name in ("csrf_token", "reason", "confirm"):
        form[name].id = form[name].label.field_id = f"token{token.id}-{name}"
    return form


def token_context(token_form=None, failed_revoke=None, secret=None) -> dict:
    """What the account page's token section shows (`failed_revoke`: the form of a revocation
    that failed, shown again as typed, by its token's id)."""
    listed = tokens.list_tokens(g.user)
    failed = failed_revoke or {}
    return {"token_form": token_form or new_token_form(), "tokens": listed, "new_secret": secret,
            "revoke_forms": {token.id: failed.get(token.id) or revoke_form(token)
                             for token in listed if not token.revoked_at}}


def account_page(status=200, **context):
    """The account page with its token section."""
    return render_template("auth/account.html", form=ChangePasswordForm(),
                           **token_context(**context), **security_context()), status


_SHOWN_ONCE = "new_token"  # the session key of the secret to show


def take_new_secret() -> str | None:
    """The secret of the token just created, for its one display: taken out of the session,
    so that a reload of the page shows it no more."""
    return session.pop(_SHOWN_ONCE, None)


@bp.post("")
def create():
    """Create a token and redirect to the account page, which shows its secret once (a reload
    of an answer to the POST posted it again and made a second live token)."""
    form = new_token_form(request.form)
    if (earlier := _created_before(form)) is not None:
        return earlier
    if form.validate():
        try:
            _token, secret = tokens.create_token(g.user, tokens.TokenInput.from_mapping(
                form.data), form.creation_key.data)
        except ValidationFailed as error:
            form.add_errors(error.errors)
        except Conflict:  # the same form, sent at the same instant, created it first
            return _created_before(form) or account_page(409, token_form=form)
        else:
            # Never stored: the signed session cookie carries it to this same browser for the
            # next page only (the only other copy is the SHA-256 in the database).
            session[_SHOWN_ONCE] = secret
            return redirect(url_for("auth.account", _anchor="new-token"))
    return account_page(422, token_form=form)


def _created_before(form: TokenForm):
    """The form sent twice (a double click, Back and the form sent again): lead to the tokens,
    saying which token its first sending created, when, and that its secret was shown then,
    once; None when its key created nothing."""
    token = creation_keys.created_with("token", g.user, form.creation_key.data)
    if token is None:
        return None
    flash(_("The token “%(name)s” was created from this form at %(time)s, and its secret was "
            "shown then, once: nothing was created again. If you did not copy the secret, "
            "revoke this token and create another.", name=token.name,
            time=format_moment(token.created_at)), "info")
    return redirect(url_for("auth.account", _anchor="tokens"), 303)


@bp.post("/<id:token_id>/revoke")
def revoke(token_id: int):
    token = tokens.get_token(g.user, token_id)  # 404 for another account's token
    if token.revoked_at is not None:  # sent from a page older than its revocation
        return already_revoked(token, url_for("auth.account"))
    form = revoke_form(token, request.form)
    if form.validate():
        token = tokens.revoke_token(g.user, token_id, form.reason.data)
        flash(_("The token “%(name)s” was revoked.", name=token.name), "success")
        return redirect(url_for("auth.account"))
    return account_page(422, failed_revoke={token_id: form})


def already_revoked(token, back: str):
    """A token revoked since the page was opened (another tab): say when, change nothing."""
    flash(_("The token “%(name)s” was already revoked, at %(time)s: nothing was changed.",
            name=token.name, time=format_moment(token.revoked_at)), "info")
    return redirect(back)
