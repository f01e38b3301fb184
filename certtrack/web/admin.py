"""Administrators' pages: accounts (create, edit, disable, reset password or second factor)."""

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from certtrack.domain.workflow import Role
from certtrack.services import (
    accounts,
    laboratories,
    password_reset,
    reference,
    review,
    sent_twice,
    tokens,
    two_factor,
)
from certtrack.services.errors import Conflict, ValidationFailed
from certtrack.services.local_dates import format_moment
from certtrack.services.numerals import listed, with_remark
from certtrack.services.permissions import require_admin_of_another
from certtrack.web import labels
from certtrack.web.access import roles_required
from certtrack.web.bounds import page_number
from certtrack.web.forms import BaseForm, UserForm, render_form
from certtrack.web.perform import conflict_message
from certtrack.web.tokens import already_revoked, revoke_form
from certtrack.web.validators import TICK_MESSAGE, reason_validators, ticked

bp = Blueprint("admin", __name__, url_prefix="/admin")
bp.before_request(roles_required(Role.admin))


def _laboratory_id(value):
    return int(value) if value not in (None, "", "None") and str(value).isascii() \
        and str(value).isdigit() else None


class AccountForm(UserForm):
    """An account as an administrator enters it: an accredited laboratory's names its
    laboratory (the role was offered, and then refused for want of a field to name it)."""

    laboratory_id = SelectField(_l("Laboratory"), choices=[], coerce=_laboratory_id,
                                validators=[Optional()])


class NewAccountForm(AccountForm):
    """A new account: its language, that of the e-mails it gets before the person first signs
    in (the invitation to choose a password first)."""

    locale = SelectField(_l("Language"), choices=[], validators=[Optional()],
                         description=_l("The e-mails, starting with the invitation, are in this "
                                        "language until the person chooses another."))


class EditUserForm(AccountForm):
    """An account's edit: disabling an active account says why and is confirmed."""

    locale = SelectField(_l("Language"), choices=[], validators=[Optional()],
                         description=_l("The language of the e-mails to this person. They can "
                                        "choose another on any page, for the pages and the "
                                        "e-mails."))

    reason = StringField(_l("Why the account is disabled"),
                         validators=[Optional(), Length(max=500)],
                         description=_l("Needed when you untick Active; kept in the audit "
                                        "trail."))
    confirm_disable = BooleanField(_l("I understand that this person is signed out everywhere "
                                      "and cannot sign in until the account is enabled again."))
    role_reason = StringField(_l("Why the role changes"),
                              validators=[Optional(), Length(max=500)],
                              description=_l("Needed when you choose another role; kept in the "
                                             "audit trail."))
    confirm_role = BooleanField(_l("I understand that a new role signs this person out and "
                                   "revokes their API tokens for good."))


class PasswordResetForm(BaseForm):
    """An administrator sets a new password: every session of the account ends, so a reason
    (kept in the audit row) and a box to tick, as for the second factor."""

    password = PasswordField(_l("New password"), validators=[DataRequired()])
    reason = StringField(_l("Reason"), validators=reason_validators(500),
                         description=_l("Kept in the audit trail, e.g. “forgotten, identity "
                                        "checked by phone”."))
    confirm = BooleanField(_l("I understand that this person is signed out everywhere, that "
                              "their API tokens stop working, and that they sign in with the "
                              "new password."),
                           validators=ticked())


class ResetFactorForm(BaseForm):
    """An administrator removes a user's second factor: a reason and a confirmation."""

    reason = StringField(_l("Reason"), validators=reason_validators(500))
    confirm = BooleanField(_l("I understand that this user must set up two-step sign-in "
                              "again and is signed out everywhere."), validators=ticked())


def _user_form(obj=None, formdata=None, form_class=AccountForm) -> UserForm:
    form = form_class(formdata, obj=obj)
    form.role.choices = labels.choices(labels.ROLES, _("Choose…"))
    form.laboratory_id.choices = [(None, "—")] + sorted(
        ((laboratory.id, laboratory.name_in(str(get_locale())))
         for laboratory in laboratories.list_laboratories()), key=lambda choice: choice[1])
    form.committee.choices = labels.choices(labels.COMMITTEES, "—")
    form.regions.choices = [(r.code, with_remark(r.name_in(str(get_locale())), r.code))
                            for r in reference.regions()]
    if obj is not None and formdata is None:
        form.regions.data = sorted(obj.region_codes)
    if "locale" in form:  # a new account: in the administrator's page language by default
        form.locale.choices = list(labels.LANGUAGES.items())
        if obj is None and formdata is None:
            form.locale.data = str(get_locale())
        elif obj is not None and not obj.locale:  # none chosen yet: left so unless one is
            form.locale.choices.insert(0, ("", "—"))
    return form


@bp.get("/users")
def users():
    role = request.args.get("role") or None
    text = request.args.get("q", "")
    sort = request.args.get("sort", "role")
    sort = sort if sort in accounts.USER_SORTS else "role"
    pagination = accounts.list_users(g.user, text=text, role=role, page=page_number(),
                                     sort=sort)
    return render_template("admin/users.html", pagination=pagination, role=role, q=text,
                           sort=sort,
                           regions={region.code: region for region in reference.regions()})


@bp.route("/users/new", methods=["GET", "POST"])
def new_user():
    form = _user_form(formdata=request.form if request.method == "POST" else None,
                      form_class=NewAccountForm)
    if request.method == "POST" and not form.validate():
        _add_errors(form, accounts.new_account_errors(_entries(form)))  # with the fields'
    elif request.method == "POST":
        data = accounts.AccountInput.from_mapping({
            **form.data, "password": form.password.data or "",
            "locale": form.locale.data or str(get_locale())})
        try:  # without a password, the person chooses one through an e-mailed link
            user = (accounts.create_user(g.user, data) if data.password
                    else password_reset.invite(g.user, data))
        except ValidationFailed as error:
            if (earlier := sent_twice.account(g.user, data)) is not None:
                return _created_before(earlier)
            form.add_errors(error.errors)
        else:
            flash(_("The account %(email)s was created.", email=user.email) if data.password
                  else _("The account %(email)s was created, and a link to choose its password "
                         "was e-mailed to it.", email=user.email), "success")
            return redirect(url_for(".users"))
    return render_form("admin/user_form.html", form, user=None)


def _created_before(earlier):
    """The new-account form sent twice (a double click, Back and the form sent again): lead
    to the account its first sending created, saying so, rather than "already exists"."""
    flash(_("You already created the account %(email)s, at %(time)s: the form was sent twice, "
            "and nothing was created again.", email=earlier.record.email,
            time=format_moment(earlier.at)), "info")
    return redirect(url_for(".edit_user", user_id=earlier.record.id), 303)


@bp.route("/users/<id:user_id>", methods=["GET", "POST"])
def edit_user(user_id: int):
    user = accounts.get_user(g.user, user_id)
    form = _user_form(obj=user, formdata=request.form if request.method == "POST" else None,
                      form_class=EditUserForm)
    del form.email, form.password
    response, status = None, 200
    if request.method == "POST":
        valid = form.validate()
        lacking = _lacking(user, form)  # said with the fields' errors, not after them
        response, status = _save_user(user, form) if valid and not lacking else (None, 422)
    return response or (_user_page(user, form, disabled=accounts.last_disabled(user)), status)


def _user_page(user, form, *, reset_form=None, factor_form=None, failed_token=(None, None),
               **context) -> str:
    """An account's page: its form, the password and second-factor resets (not of one's own
    account: the account page changes those), its API tokens in force, each revocable with a
    reason (`failed_token`: the id and form of a revocation that failed, shown again as
    typed)."""
    live = tokens.live_tokens_of(g.user, user)
    failed_id, failed_form = failed_token
    revoke_forms = {token.id: failed_form if token.id == failed_id else revoke_form(token)
                    for token in live}
    return render_template("admin/user_form.html", form=form, user=user,
                           assigned=review.open_assignments(user)
                           if user.role == Role.inspector else 0,
                           own_account=user.id == g.user.id,  # changed on the account page
                           reset_form=reset_form or PasswordResetForm(),
                           factor_form=factor_form or ResetFactorForm(), user_tokens=live,
                           revoke_forms=revoke_forms, **context)


@bp.post("/users/<id:user_id>/tokens/<id:token_id>/revoke")
def revoke_token(user_id: int, token_id: int):
    """Revoke one of an account's tokens (a leaked one) with a reason and a ticked box."""
    user = accounts.get_user(g.user, user_id)
    token = tokens.get_token(user, token_id)  # 404 for another account's token
    if token.revoked_at is not None:  # sent from a page older than its revocation
        return already_revoked(token, url_for(".edit_user", user_id=user.id))
    form = revoke_form(token, request.form)
    if form.validate():
        tokens.revoke_token_of(g.user, user, token.id, form.reason.data)
        flash(_("The token %(name)s is revoked.", name=token.name), "success")
        return redirect(url_for(".edit_user", user_id=user.id))
    user_form = _user_form(obj=user, form_class=EditUserForm)
    del user_form.email, user_form.password
    return _user_page(user, user_form, failed_token=(token.id, form)), 422


def _entries(form) -> accounts.AccountInput:
    """The account form's entries, None for each field that failed."""
    entries = {name: None if form[name].errors else value for name, value in form.data.items()}
    return accounts.AccountInput.from_mapping({**entries, "is_active": bool(entries["is_active"]),
                                               "regions": entries["regions"] or []})


def _add_errors(form, errors: dict[str, list[str]]) -> bool:
    """Add the service's errors to the fields that have none yet; True when any was added."""
    errors = {name: messages for name, messages in errors.items()
              if not (name and name in form and form[name].errors)}
    if errors:
        form.add_errors(errors)
    return bool(errors)


def _lacking(user, form: EditUserForm) -> bool:
    """Add to the form, with its fields' errors, what the edit still lacks: a committee or
    regions, and for disabling the account or giving it another role the box ticked (neither
    can be undone: the sessions end, the tokens are revoked) and a reason of a few words;
    True when something does. A field that failed keeps its own error."""
    data = _entries(form)
    errors = accounts.account_errors(data)
    if user.id != g.user.id:  # one's own account: the service refuses both steps
        errors |= accounts.missing_reasons(user, data)
        if user.is_active and not data.is_active and not form.confirm_disable.data:
            errors["confirm_disable"] = [str(TICK_MESSAGE)]
        if data.role and data.role != user.role and not form.confirm_role.data:
            errors["confirm_role"] = [str(TICK_MESSAGE)]
    return _add_errors(form, errors)


def _save_user(user, form: EditUserForm):
    """Save the edit: (a redirect, 302), or (None, the status of the page showing why not)."""
    data = accounts.AccountInput.from_mapping(form.data)
    try:
        released = accounts.update_user(g.user, user, data)
    except ValidationFailed as error:
        form.add_errors(error.errors)
        return None, 422
    except Conflict as error:  # another administrator saved it since the page was loaded
        form.keep_after_conflict(conflict_message(error.message, user), user.version)
        return None, 409
    if released is None:
        flash(_("Nothing was changed: the account is as it was."), "info")
        return redirect(url_for(".edit_user", user_id=user.id)), 302
    flash(_("The account was saved."), "success")
    if released:
        flash(ngettext("%(num)d application under inspection assigned to this person is "
                       "unassigned now, for an inspector of its queue to take: %(refs)s.",
                       "%(num)d applications under inspection assigned to this person are "
                       "unassigned now, for the inspectors of their queues to take: %(refs)s.",
                       len(released), refs=listed(released)), "info")
    return redirect(url_for(".users")), 302


@bp.post("/users/<id:user_id>/password")
def reset_password(user_id: int):
    user = accounts.get_user(g.user, user_id)
    require_admin_of_another(g.user, user)  # whatever is posted: 403, not the form's mistakes
    form = PasswordResetForm(request.form)
    valid = form.validate()
    problems = accounts.password_problems(form.password.data, user.email, user.full_name,
                                          own=False) \
        if not valid and form.password.data else []  # said with the box's, not after it
    if problems:
        form.add_errors({"password": problems})
    if valid:
        try:
            accounts.reset_password(g.user, user, form.password.data, form.reason.data)
        except ValidationFailed as error:
            form.add_errors(error.errors)
        else:
            flash(_("The password was reset, the user's sessions were signed out and their API "
                    "tokens revoked."), "success")
            return redirect(url_for(".edit_user", user_id=user.id))
    user_form = _user_form(obj=user, form_class=EditUserForm)
    del user_form.email, user_form.password
    return _user_page(user, user_form, reset_form=form), 422


@bp.post("/users/<id:user_id>/second-factor")
def reset_factor(user_id: int):
    user = accounts.get_user(g.user, user_id)
    require_admin_of_another(g.user, user)  # whatever is posted: 403, not the form's mistakes
    form = ResetFactorForm(request.form)
    if form.validate():
        try:
            two_factor.reset_factor(g.user, user, form.reason.data)
        except ValidationFailed as error:
            form.add_errors(error.errors)
        else:
            flash(_("The second factor was removed and the user's sessions were signed out."),
                  "success")
            return redirect(url_for(".edit_user", user_id=user.id))
    user_form = _user_form(obj=user, form_class=EditUserForm)
    del user_form.email, user_form.password
    return _user_page(user, user_form, factor_form=form), 422
