"""Sign-in, sign-out, one's own password and language."""

from flask import Blueprint, flash, g, redirect, request, session, url_for
from flask_babel import gettext as _

from certtrack.services import accounts
from certtrack.services.errors import Throttled, ValidationFailed
from certtrack.web import access
from certtrack.web import tokens as tokens_page
from certtrack.web.forms import ChangePasswordForm, LoginForm, render_form

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
@access.public
def login():
    form = LoginForm(request.form, next=request.args.get("next", ""))
    if request.method == "POST" and form.validate():
        try:
            user = accounts.authenticate(form.email.data, form.password.data, request.remote_addr)
        except ValidationFailed as error:
            form.add_errors(error.errors)
        except Throttled as error:
            form.add_errors({"": [error.message]})
            body, _status = render_form("auth/login.html", form)
            return body, 429, {"Retry-After": str(error.retry_after)}
        else:
            access.sign_in(user)
            return redirect(access.safe_next(form.next.data) or url_for("public.index"))
    return render_form("auth/login.html", form)


@bp.post("/logout")
def logout():
    accounts.record_logout(g.user)
    access.sign_out()
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.get("/account")
def account():
    return tokens_page.account_page()


@bp.post("/account/password")
def change_password():
    form = ChangePasswordForm(request.form)
    if form.validate():
        try:
            accounts.change_password(g.user, form.current_password.data, form.new_password.data)
        except ValidationFailed as error:
            form.add_errors(error.errors)
        else:
            access.sign_in(g.user)
            flash(_("Your password was changed. Other sessions were signed out."), "success")
            return redirect(url_for("auth.account"))
    return render_form("auth/account.html", form, **tokens_page.token_context())


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
