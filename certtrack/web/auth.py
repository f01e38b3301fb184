"""Sign-in, sign-out, one's own password, second factor, sessions and language."""

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, StringField
from wtforms.validators import DataRequired, Length

from certtrack.services import accounts, sessions, sign_in, two_factor
from certtrack.services.errors import Throttled, ValidationFailed
from certtrack.web import access, devices
from certtrack.web import tokens as tokens_page
from certtrack.web.account_sessions import security_context
from certtrack.web.forms import BaseForm, ChangePasswordForm, LoginForm, TotpCodeForm, render_form
from certtrack.web.limits import login_rate
from certtrack.web.validators import ticked

bp = Blueprint("auth", __name__)


def _attempt(form: LoginForm) -> sign_in.Attempt:
    return sign_in.Attempt(
        email=form.email.data, password=form.password.data, code=form.code.data or "",
        address=request.remote_addr, device=devices.known_device(),
        user_agent=request.headers.get("User-Agent", ""), language=str(get_locale()))


def _signed_in(signed: sign_in.SignedIn, next_path: str | None):
    chosen = session.get("locale")  # a language chosen before signing in, on this browser
    if chosen in current_app.config["LANGUAGES"] and chosen != signed.user.locale:
        accounts.set_locale(signed.user, chosen)  # the reader's latest choice wins
    access.sign_in(signed.user, signed.session_token)
    if signed.must_enrol:  # in the language of the pages that follow, the user's own
        with force_locale(signed.user.locale or str(get_locale())):
            flash(_("Your role signs in with a second factor; set it up now."), "info")
        response = redirect(url_for("auth.two_factor"))
    else:
        response = redirect(access.safe_next(next_path) or url_for("public.index"))
    devices.remember(response, signed.user)
    return response


@bp.route("/login", methods=["GET", "POST"])
@access.public
@login_rate
def login():
    form = LoginForm(request.form, next=request.args.get("next", ""))
    if request.method == "POST" and form.validate():
        try:
            signed = sign_in.authenticate(_attempt(form))
        except ValidationFailed as error:
            form.add_errors(error.errors)
        except Throttled as error:
            form.add_errors({"": [error.message]})
            body, _status = render_form("auth/login.html", form)
            return body, 429, {"Retry-After": str(error.retry_after)}
        else:
            return _signed_in(signed, form.next.data)
    return render_form("auth/login.html", form)


@bp.post("/logout")
def logout():
    sign_in.sign_out(g.user, session.get("sid"))
    access.sign_out()
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.get("/account")
def account():
    return tokens_page.account_page(secret=tokens_page.take_new_secret())


@bp.post("/account/password")
def change_password():
    form = ChangePasswordForm(request.form)
    try:
        if form.validate():
            accounts.change_password(g.user, form.current_password.data, form.new_password.data,
                                     keep_session=session.get("sid"))
            access.sign_in(g.user, session.get("sid"))
            flash(_("Your password was changed. Other sessions were signed out."), "success")
            return redirect(url_for("auth.account"))
        if form.current_password.data and form.new_password.data:  # said with the form's own
            form.add_errors(accounts.password_change_errors(  # (the repeat differing), at once
                g.user, form.current_password.data, form.new_password.data))
    except ValidationFailed as error:
        form.add_errors(error.errors)
    return render_form("auth/account.html", form, **tokens_page.token_context(),
                       **security_context())


@bp.post("/account/sessions/<session_id>/end")
def end_session(session_id: str):
    sessions.end_session(g.user, session_id)
    flash(_("The session was ended."), "success")
    return redirect(url_for("auth.account"))


class RemoveFactorForm(BaseForm):
    """The second factor turned off or moved: a current code, and a box (the recovery codes
    stop working too). Its code is named apart from the recovery codes' form on the page."""

    current_code = StringField(_l("Code from the app"),
                               validators=[DataRequired(), Length(max=10)],
                               render_kw={"autocomplete": "one-time-code",
                                          "inputmode": "numeric"})
    confirm = BooleanField(_l("I understand that the codes of my current app and my recovery "
                              "codes stop working."),
                           validators=ticked())


def _two_factor_page(status: int = 200, form: TotpCodeForm | None = None,
                     codes: list[str] | None = None, remove_form: RemoveFactorForm | None = None):
    user = g.user
    pending = user.totp_secret is not None and not user.has_totp
    return render_template(
        "auth/two_factor.html", form=form or TotpCodeForm(), start_form=BaseForm(),
        remove_form=remove_form or RemoveFactorForm(),
        pending=pending, has_totp=user.has_totp, required=two_factor.required(user),
        secret=user.totp_secret if pending else None,
        qr=two_factor.qr_data_uri(user) if pending else None, recovery_codes=codes), status


@bp.get("/account/two-factor", endpoint="two_factor")
def two_factor_page():
    return _two_factor_page()


@bp.post("/account/two-factor/start")
def two_factor_start():
    try:
        two_factor.begin_enrolment(g.user)
    except ValidationFailed as error:
        flash(error.errors[""][0], "error")
    return redirect(url_for("auth.two_factor"))


@bp.post("/account/two-factor/confirm")
def two_factor_confirm():
    form = TotpCodeForm(request.form)
    if form.validate():
        try:
            codes = two_factor.confirm_enrolment(g.user, form.code.data)
        except ValidationFailed as error:
            form.add_errors(error.errors)
        else:
            flash(_("Two-step sign-in is on. Keep the recovery codes somewhere safe."),
                  "success")
            return _two_factor_page(codes=codes)
    return _two_factor_page(422, form)


@bp.post("/account/two-factor/recovery-codes")
def recovery_codes():
    form = TotpCodeForm(request.form)
    if form.validate():
        try:
            codes = two_factor.regenerate_recovery_codes(g.user, form.code.data)
        except ValidationFailed as error:
            form.add_errors(error.errors)
        else:
            flash(_("New recovery codes were made; the old ones no longer work."), "success")
            return _two_factor_page(codes=codes)
    return _two_factor_page(422, form)


@bp.post("/account/two-factor/remove")
def two_factor_remove():
    """Turn the second factor off, or move it to a new phone: a current code and a ticked box;
    a role that signs in with one is shown the new set-up at once."""
    form = RemoveFactorForm(request.form)
    if form.validate():
        try:
            two_factor.remove_own_factor(g.user, form.current_code.data)
        except ValidationFailed as error:
            form.add_errors({"current_code": error.errors["code"]})
        else:
            if not two_factor.required(g.user):
                flash(_("Two-step sign-in is off."), "success")
                return redirect(url_for("auth.two_factor"))
            two_factor.begin_enrolment(g.user)
            flash(_("The old phone's codes no longer work. Scan this code with the new "
                    "phone to finish."), "info")
            return redirect(url_for("auth.two_factor"))
    return _two_factor_page(422, remove_form=form)


@bp.post("/language")
@access.public
def language():
    """Switch the language; remembered on the account, or for the session when signed out."""
    locale = request.form.get("locale", "")
    if g.user is not None:
        try:
            accounts.set_locale(g.user, locale)
        except ValidationFailed:
            flash(_("Unknown language."), "error")
    if locale in ("en", "ru", "kk", "zh"):
        session["locale"] = locale
    return redirect(access.safe_next(request.form.get("next")) or url_for("public.index"))
