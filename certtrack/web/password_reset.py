"""A forgotten password, from the sign-in page: ask for a link by e-mail, then choose a new
password through it (services.password_reset)."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from certtrack.services import password_reset
from certtrack.services.errors import ValidationFailed
from certtrack.web import access
from certtrack.web.forms import BaseForm, NewPasswordForm, render_form
from certtrack.web.limits import login_rate

bp = Blueprint("password_reset", __name__, url_prefix="/password")


class ForgotForm(BaseForm):
    email = StringField(_l("E-mail"), validators=[DataRequired(), Length(max=254)],
                        description=_l("The address you sign in with."))


@bp.route("/forgot", methods=["GET", "POST"])
@access.public
@login_rate
def forgot():
    """Ask for a link; the answer is the same whether the address has an account or not."""
    form = ForgotForm(request.form)
    if request.method == "POST" and form.validate():
        password_reset.request_reset(form.email.data, str(get_locale()))
        return render_template("auth/forgot_password.html", form=None, sent_to=form.email.data)
    return render_form("auth/forgot_password.html", form, sent_to=None)


@bp.route("/reset/<token>", methods=["GET", "POST"])
@access.public
@login_rate
def reset(token: str):
    """Choose a new password through an e-mailed link; an expired or used link says so (an
    expired invitation, how long it worked and how to get another)."""
    if password_reset.account_for(token) is None:
        return render_template("auth/forgot_password.html", form=ForgotForm(), sent_to=None,
                               expired=True,
                               invitation_days=password_reset.expired_invitation(token)
                               and password_reset.invitation_days()), 410
    form = NewPasswordForm(request.form)
    if request.method == "POST" and form.validate():
        try:
            password_reset.reset_password(token, form.new_password.data)
        except ValidationFailed as error:
            form.add_errors(error.errors)
        else:
            flash(_("Your new password is set, and every session of your account has ended. "
                    "Sign in with it."), "success")
            return redirect(url_for("auth.login"))
    return render_form("auth/reset_password.html", form)
