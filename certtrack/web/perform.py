"""The one path of every action on the web side: validate, call the service, flash, redirect."""

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any

from flask import Blueprint, flash, g, redirect, request
from flask_babel import gettext as _
from werkzeug.datastructures import CombinedMultiDict
from wtforms import StringField

from certtrack.domain.consignment import allowed_consignment_actions
from certtrack.domain.workflow import IllegalTransition, allowed_actions
from certtrack.services import creation_keys
from certtrack.services.changed_since import changed_since
from certtrack.services.errors import Conflict, PermissionDenied, ValidationFailed
from certtrack.services.local_dates import format_moment
from certtrack.services.permissions import registration_actions
from certtrack.services.transaction import stale_message
from certtrack.web.consignment_labels import CONSIGNMENT_STATES
from certtrack.web.errors import render_error
from certtrack.web.forms import BaseForm, add_confirmation, add_field
from certtrack.web.labels import REGISTRATION_STATUSES, STATES, label

# The one-time key's field: a text field not shown, not a hidden one, and not read-only: the
# browser gives such a field back when it shows the form again from its history (Back), and
# static/js/app.js makes it keep the key sent (a hidden field took the new page's key).
KEY_FIELD = {"hidden": True}


class Refusal(Enum):
    """How a service's `ValidationFailed` is shown."""

    form = "form"  # on the form's fields, the page again (422)
    flash = "flash"  # as a message above the page again (422): a button has no fields
    back = "back"  # as a message on the page the action came from (302)
    form_or_back = "form_or_back"  # on the form when it names a field of it, else `back`


@dataclass(frozen=True)
class WebAction:
    """One row of the action table: the form, the service call and the success message.

    `call(user, target, form, **route_args)` runs the use case; `success` is the message, or a
    function of what `call` returned that gives it (or gives `(message, category)`). `key`
    names the failed form on the page (formatted with the route's arguments) and the section
    the page returns to after success (its fragment). `guard`, when set, is asked before the
    form is shown or validated: False is a stale page. `then` gives the address after success
    from `(target, result)`; by default the page's own. `path`, when set, is the action's POST
    address below its object's (see `register_actions`): `BUTTON` for the actions that share
    one address, `<object>/<verb>`.

    `confirm`, set on an irreversible action, is the sentence that names its consequence: the
    form then carries a box to tick (and, with `needs_reason`, a required reason that goes
    into the audit row), and the server performs nothing until both are given. The step is
    shown as a warning unless `ends_something` is False: a final step forward (issue, submit,
    recommend), which cannot be undone either but ends nothing.

    `repeat(user, target, form)`, when set, tells whether that form was already sent and
    recorded (a double click, a form sent again from the browser's history): it returns what
    to say and the address the first sending led to, or None. The second sending then ends
    there with that message, never with the error the first one's record would cause (a
    reference or a number "already recorded", a stale page).

    `checks(user, target, entries)`, when set, runs the service's checks of the entries
    without changing anything, for a form whose fields failed: `entries` is the form's data
    with None for each field that failed, and the errors it returns (field -> messages, ''
    for the form) are said with the fields', so that every mistake comes in one answer, not
    the service's only once the fields are right. An error of the form as a whole ('') is
    a refusal whatever is typed: it is said instead of the unticked box's (a button offered
    before its step is possible, `aria-disabled`, refused with the reason).

    `step`, set on a step of a workflow (an application's, a consignment's or a registration's
    verb), is asked when its form fails: a page older than a change of the object's state
    that no longer allows the step is said so, not that its box is unticked or its reason
    missing. (A form filled in goes to the service, which says the same, or, for a page
    older than the object's version, who changed it and when.)

    `keyed`, set on a form that creates an object, gives it a one-time key (a hidden field made
    when the form is shown, `creation_key`): sent again with the key of a sending that created
    its object, the form is not checked or performed again, and `repeat`, which finds that
    object by the key, leads there (303).
    """

    form: Callable[[Any, Any], BaseForm]
    call: Callable[..., Any]
    success: Any
    key: str | None = None
    refusal: Refusal = Refusal.form
    flash_denied: bool = False
    guard: Callable[[Any, Any], bool] | None = None
    then: Callable[[Any, Any], str] | None = None
    path: str | None = None
    confirm: Any = None
    needs_reason: bool = False
    ends_something: bool = True
    anchor: str | None = None
    repeat: Callable[[Any, Any, BaseForm], tuple[str, str] | None] | None = None
    checks: Callable[[Any, Any, dict], dict[str, list[str]]] | None = None
    keyed: bool = False
    step: str | tuple[str, ...] | None = None

    def allows_step(self, user, target) -> bool:
        """False when the object's state no longer allows the action's `step` (or any of
        its steps, a tuple) to `user`."""
        if self.step is None:
            return True
        allowed = ALLOWED_STEPS[_table(target)](user, target)
        return any(step in allowed for step in (
            self.step if isinstance(self.step, tuple) else (self.step,)))

    def build(self, target, formdata=None) -> BaseForm:
        """The action's form, with its confirmation step when the action is irreversible, and
        its one-time key when it creates something."""
        form = self.form(target, formdata)
        if self.keyed:  # made when the form is shown, sent back with it (or not: an old page)
            add_field(form, "creation_key", StringField(
                default=creation_keys.new_key if formdata is None else None,
                render_kw=KEY_FIELD), formdata)
        if self.confirm is not None:
            add_confirmation(form, formdata, self.confirm, self.needs_reason)
            form.ends_something = self.ends_something
        return form

    def fragment(self, **args) -> str:
        """The section of the page the action was done in: `#key` (or `#anchor`), or ''."""
        name = self.anchor or self.key
        return f"#{name.format(**args)}" if name and name != "form" else ""

    def message(self, result) -> tuple[str, str]:
        """The success message and its category for what the call returned."""
        text = self.success(result) if callable(self.success) else self.success
        return (str(text[0]), text[1]) if isinstance(text, tuple) else (str(text), "success")


@dataclass(frozen=True)
class Page:
    """The page an action is done on: its address, and its body shown again with failed forms."""

    url: Callable[[Any], str]
    render: Callable[[Any, dict], str]


def no_longer_possible(url: str, target=None):
    """The one answer to an action the current state no longer allows: flash and redirect;
    for an object of a workflow, its state now, who changed it last and when."""
    moved_on = changed_by(target) if _table(target) in STATE_WORDS else None
    flash(" ".join(filter(None, (
        _("This action is no longer possible; the page shows the current state."),
        moved_on))), "error")
    return redirect(url)


# The objects of a workflow: the attribute of their state and its words (a step that is no
# longer possible was made so by their last change).
STATE_WORDS = {"application": ("state", STATES), "consignment": ("state", CONSIGNMENT_STATES),
               "registration": ("status", REGISTRATION_STATUSES)}


# The steps a user's role may take in an object's state, per table (WebAction.step).
ALLOWED_STEPS = {
    "application": lambda user, a: allowed_actions(a.state, user.role),
    "consignment": lambda user, c: allowed_consignment_actions(c.state, user.role),
    "registration": registration_actions,  # no expiry within its validity
}


def _table(target) -> str | None:
    return getattr(target, "__tablename__", None)


def changed_by(target) -> str | None:
    """For a page older than the target's last change: its state now (an object of a
    workflow), who changed it last and when, from the audit trail (services.changed_since);
    None for a target the trail names no change of."""
    table, id_ = _table(target), getattr(target, "id", None)
    if table is None or id_ is None:
        return None
    state = None
    if table in STATE_WORDS:
        attribute, words = STATE_WORDS[table]
        state = str(label(words, getattr(target, attribute)))
    return changed_since(g.user, table, id_, state)


# The texts typed for a step, the first found given back: deficiencies to return an
# application, an inspection's summary, a finding's observation were lost with the step.
TYPED_TEXTS = ("reason", "comment", "deficiencies", "summary", "observation")


def _typed(form: BaseForm) -> str:
    """The reason, comment or other text typed for a step that did not happen (the page
    shown instead no longer holds it), or ''."""
    return next((field.data.strip() for name in TYPED_TEXTS
                 if (field := getattr(form, name, None)) is not None
                 and isinstance(field.data, str) and field.data.strip()), "")


def _show_typed(form: BaseForm) -> None:
    if typed := _typed(form):
        flash(_("What you typed: %(text)s", text=typed), "info")


def _formdata():
    if request.method != "POST":
        return None
    return CombinedMultiDict((request.files, request.form)) if request.files else request.form


def _failed(action: WebAction, form: BaseForm, args: dict) -> dict:
    return {action.key.format(**args): form} if action.key is not None else {}


def show(action: WebAction, target, page: Page, **args):
    """A page whose body is the action's form: GET shows it, POST performs the action."""
    if request.method == "POST":
        return perform(action, target, page, **args)
    if action.guard is not None and not action.guard(g.user, target):
        return no_longer_possible(page.url(target))
    return page.render(target, _failed(action, action.build(target, None), args)), 200


def _refuse(action: WebAction, form: BaseForm, error: ValidationFailed, back: str):
    """Show the service's refusal; a response when it ends the request, else None (re-render)."""
    refusal = action.refusal
    if refusal == Refusal.form_or_back:
        names = {name for name in error.errors if name and hasattr(form, name)}
        refusal = Refusal.form if names else Refusal.back
    if refusal == Refusal.form:
        form.add_errors(error.errors)
        return None
    flash(error.message, "error")
    if refusal != Refusal.back:
        return None
    _show_typed(form)  # the page led back to holds no form with it
    return redirect(back)


def perform(action: WebAction, target, page: Page, **args):
    """Validate the action's form, call its service, flash and redirect (PRG).

    A form or a service refusing the input shows the page again with the form as typed (422);
    an action the state no longer allows (stale page, double click) is flashed and redirects.
    A page of fields (`key="form"`) saved by someone else since it was loaded (`Conflict`) is
    shown again as typed, with who changed it (409); the other service errors, and a conflict
    of a step, reach the app's error handler.
    """
    back = page.url(target)
    if action.guard is not None and not action.guard(g.user, target):
        if (earlier := _sent_before(action, target)) is not None:
            return earlier
        response = no_longer_possible(back, target)
        _show_typed(action.build(target, _formdata()))  # a reason typed is not lost with it
        return response
    form = action.build(target, _formdata())
    if (action.keyed and form.csrf_token.validate(form)
            and (earlier := _sent_before(action, target, form)) is not None):
        return earlier  # the form sent again: what its first sending created
    status = 422
    if form.validate():
        response, status = _attempt(action, target, form, back, args)
        if response is not None:
            return response
    elif not action.allows_step(g.user, target):
        response = no_longer_possible(back, target)
        _show_typed(form)
        return response
    else:
        check_entries(action.checks, target, form)
    return page.render(target, _failed(action, form, args)), status


def check_entries(checks, target, form: BaseForm) -> None:
    """Add to a form whose fields failed the errors `checks` (WebAction.checks) finds in the
    rest of its entries; a field that failed keeps its own error alone."""
    if checks is None or ("csrf_token" in form and form.csrf_token.errors):
        return  # a form not sent from our page: nothing of it is read
    entries = {name: None if form[name].errors else value for name, value in form.data.items()}
    errors = checks(g.user, target, entries)
    if errors.get("") and "confirm" in form:  # refused whatever is typed: that is what to say,
        form.confirm.errors = []  # not the box, which the pages show once nothing stops it
    form.add_errors({name: messages for name, messages in errors.items()
                     if not (name and name in form and form[name].errors)})


def _attempt(action: WebAction, target, form: BaseForm, back: str, args: dict):
    """Call the action's service with a valid form: (the response that ends the request, or
    None to show the page again with the form, and that page's status)."""
    try:
        result = action.call(g.user, target, form, **args)
    except (ValidationFailed, IllegalTransition, Conflict) as error:
        if (earlier := _sent_before(action, target, form)) is not None:
            return earlier, 302
        return _refused(action, target, form, error, back)
    except PermissionDenied as error:
        if not action.flash_denied:
            raise
        flash(error.message, "error")
        return redirect(back), 422
    text, category = action.message(result)
    flash(text, category)
    # A success lands at the section it was done in; a warning or a notice stays at the top of
    # the page, where it is said (below, it was scrolled past: "the very same file").
    fragment = action.fragment(**args) if category == "success" else ""
    return redirect(action.then(target, result) if action.then else back + fragment), 302


def _refused(action: WebAction, target, form: BaseForm, error, back: str):
    """A service's refusal: (the response that ends the request, or None to show the page
    again with the form, and that page's status)."""
    if isinstance(error, ValidationFailed):
        return _refuse(action, form, error, back), 422
    if isinstance(error, IllegalTransition):
        response = no_longer_possible(back, target)
        _show_typed(form)
        return response, 422
    if action.key != "form":  # a step, not a page of fields: the error page says it
        return render_error(409, conflict_message(error.message, target),
                            typed=_typed(form)), 409
    form.keep_after_conflict(conflict_message(error.message, target),
                             getattr(target, "version", None))
    return None, 409


def _sent_before(action: WebAction, target, form: BaseForm | None = None):
    """When the action's form was sent and recorded before (WebAction.repeat): a redirect to
    where the first sending led, saying so; else None. Without `form` (the state no longer
    allows the action), the request's form is read here."""
    if action.repeat is None:
        return None
    if form is None:
        form = action.build(target, _formdata())
        if not form.validate():
            return None
    earlier = action.repeat(g.user, target, form)
    if earlier is None:
        return None
    message, url = earlier
    flash(message, "info")
    return redirect(url, 303)


def created_before(kind: str, message: Callable[[Any, str], str], url: Callable[[Any], str]):
    """The `repeat` of a keyed form that creates a record of `kind` (services.creation_keys),
    a draft or a lot of the action's target: the record the person created with the form's
    key, as `message(record, time created)` and `url(record)`; None when the key created
    nothing (another person's key included)."""
    def repeat(user, target, form: BaseForm):
        record = creation_keys.created_with(kind, user, form.creation_key.data, target)
        if record is None:
            return None
        return message(record, format_moment(record.created_at)), url(record)
    return repeat


def conflict_message(message: str, target) -> str:
    """A stale edit's message naming the target's state now, who changed it last and when
    (the reader decides whether to replace that change); `message` when it is not the stale
    edit's, or the trail names no change."""
    return (changed_by(target) if message == stale_message() else None) or message


BUTTON = "/<verb>"


def register_actions(bp: Blueprint, table: dict[str, WebAction], *, rule: str, key: str,
                     load, page: Page, shared: str = "act") -> None:
    """Give each row of `table` that has a `path` its POST address, `rule + path`, named after
    the row; the rows whose path is `BUTTON` share one address, `rule/<verb>`, named `shared`.

    `rule` is the object's address below the blueprint's prefix; `key` names the route
    argument of the object's id and `load(id)` gets the object, authorization included.
    Adding an action is then one row of the table and its service function: the address
    comes with the row.
    """
    buttons = sorted(name for name, action in table.items() if action.path == BUTTON)
    for name, action in table.items():
        if action.path is not None and action.path != BUTTON:
            bp.add_url_rule(rule + action.path, name, _view(table, key, load, page, name),
                            methods=["POST"])
    if buttons:
        bp.add_url_rule(f"{rule}/<any({', '.join(buttons)}):verb>", shared,
                        _view(table, key, load, page), methods=["POST"])


def _view(table: dict[str, WebAction], key: str, load, page: Page, name: str | None = None):
    def view(**args):
        target = load(args.pop(key))
        return perform(table[name if name is not None else args.pop("verb")], target, page,
                       **args)

    return view
