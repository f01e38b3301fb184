"""Administrators' pages: accounts (create, edit, disable, reset password or second factor)."""

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from certtrack.domain.workflow import Role
from certtrack.services import accounts, reference, two_factor
from certtrack.services.errors import Conflict, ValidationFailed
from certtrack.web import labels
from certtrack.web.access import roles_required
from certtrack.web.bounds import page_number
from certtrack.web.forms import PasswordResetForm, ResetFactorForm, UserForm, render_form

bp = Blueprint("admin", __name__, url_prefix="/admin")
bp.before_request(roles_required(Role.admin))


def _user_form(obj=None, formdata=None) -> UserForm:
    form = UserForm(formdata, obj=obj)
    form.role.choices = labels.choices(labels.ROLES, _("Choose…"))
    form.committee.choices = labels.choices(labels.COMMITTEES, "—")
    form.regions.choices = [(r.code, f"{r.name_in(str(get_locale()))} ({r.code})")
                            for r in reference.regions()]
    if obj is not None and formdata is None:
        form.regions.data = sorted(obj.region_codes)
    return form


@bp.get("/users")
def users():
    role = request.args.get("role") or None
    text = request.args.get("q", "")
    pagination = accounts.list_users(g.user, text=text, role=role,
                                     page=page_number())
    return render_template("admin/users.html", pagination=pagination, role=role, q=text,
                           regions={region.code: region for region in reference.regions()})


@bp.route("/users/new", methods=["GET", "POST"])
def new_user():
    form = _user_form(formdata=request.form if request.method == "POST" else None)
    if request.method == "POST" and form.validate():
        try:
            user = accounts.create_user(g.user, accounts.AccountInput.from_mapping(
                {**form.data, "password": form.password.data or ""}))
        except ValidationFailed as error:
            form.add_errors(error.errors)
        else:
            flash(_("The account %(email)s was created.", email=user.email), "success")
            return redirect(url_for(".users"))
    return render_form("admin/user_form.html", form, user=None)


@bp.route("/users/<id:user_id>", methods=["GET", "POST"])
def edit_user(user_id: int):
    user = accounts.get_user(g.user, user_id)
    form = _user_form(obj=user, formdata=request.form if request.method == "POST" else None)
    del form.email, form.password
    if request.method == "POST" and form.validate():
        try:
            accounts.update_user(g.user, user, accounts.AccountInput.from_mapping(form.data))
        except ValidationFailed as error:
            form.add_errors(error.errors)
        except Conflict as error:
            form.keep_after_conflict(error.message, user.version)
            return render_template("admin/user_form.html", form=form, user=user,
                                   reset_form=PasswordResetForm(),
                                   factor_form=ResetFactorForm()), 409
        else:
            flash(_("The account was saved."), "success")
            return redirect(url_for(".users"))
    return render_form("admin/user_form.html", form, user=user, reset_form=PasswordResetForm(),
                       factor_form=ResetFactorForm())


@bp.post("/users/<id:user_id>/password")
def reset_password(user_id: int):
    user = accounts.get_user(g.user, user_id)
    form = PasswordResetForm(request.form)
    if form.validate():
        try:
            accounts.reset_password(g.user, user, form.password.data)
        except ValidationFailed as error:
            form.add_errors(error.errors)
        else:
            flash(_("The password was reset and the user's sessions were signed out."), "success")
            return redirect(url_for(".edit_user", user_id=user.id))
    user_form = _user_form(obj=user)
    del user_form.email, user_form.password
    return render_template("admin/user_form.html", form=user_form, user=user, reset_form=form,
                           factor_form=ResetFactorForm()), 422


@bp.post("/users/<id:user_id>/second-factor")
def reset_factor(user_id: int):
    user = accounts.get_user(g.user, user_id)
    form = ResetFactorForm(request.form)
    if form.validate():
        two_factor.reset_factor(g.user, user, form.reason.data)
        flash(_("The second factor was removed and the user's sessions were signed out."),
              "success")
        return redirect(url_for(".edit_user", user_id=user.id))
    user_form = _user_form(obj=user)
    del user_form.email, user_form.password
    return render_template("admin/user_form.html", form=user_form, user=user,
                           reset_form=PasswordResetForm(), factor_form=form), 422
