"""The web layer: blueprints per audience, session checks, CSRF, headers and template helpers."""

from flask import abort, current_app, g, request, url_for
from flask_babel import get_locale
from werkzeug.middleware.proxy_fix import ProxyFix

from certtrack.domain.workflow import Role
from certtrack.services import notifications as notification_service
from certtrack.services import numerals
from certtrack.web import (
    access,
    bounds,
    consignment_labels,
    errors,
    i18n,
    labels,
    limits,
    templating,
)
from certtrack.web.forms import BaseForm, failed_forms, forget_forms

STATE_CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# No page uses these browser features: refuse them to every page and anything it embeds.
PERMISSIONS_POLICY = ("accelerometer=(), camera=(), geolocation=(), gyroscope=(), "
                      "magnetometer=(), microphone=(), payment=(), usb=(), browsing-topics=()")


def check_csrf():
    """Refuse (400) every state-changing request whose session CSRF token is missing or wrong."""
    if request.method not in STATE_CHANGING or access.is_api_request():
        return
    form = BaseForm(request.form)
    form.validate()
    if form.csrf_token.errors:
        abort(400)


def security_headers(response):
    """Headers of docs/security.md item 24 on every response."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy",
                       "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; "
                       "form-action 'self'; base-uri 'none'")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
    if current_app.config["HSTS"]:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    if g.get("user") is not None and request.endpoint != "static":
        # Pages and downloads (send_file says "no-cache", which lets caches store) alike.
        headers["Cache-Control"] = "no-store"
    return response


_CSRF_KEY = "certtrack.csrf_token"  # where the request keeps its token (WSGI environ)


def csrf_token() -> str:
    """A CSRF token for a form that has no WTForms class (buttons, the language switcher):
    one per request, however many such forms the page has."""
    token = request.environ.get(_CSRF_KEY)
    if token is None:
        token = request.environ[_CSRF_KEY] = BaseForm().csrf_token.current_token
    return token


def localized(obj, text: str = "name") -> str:
    """A reference row's or enterprise's name in the current language (or another of its texts:
    see templating.localized)."""
    return getattr(obj, f"{text}_in")(str(get_locale())) if obj is not None else ""


def _overview_link(argument: str | None, code: str) -> str | None:
    """The registrar's list of every application filtered on `argument` = `code` (a chart's
    bar leads there), or None: no argument given, or a draft, which staff never list."""
    if argument is None or code == "draft":
        return None
    return url_for("registrar.overview", **{argument: code}, _anchor="all")


def state_row(pair, linked: bool = False) -> tuple[str, int, str | None]:
    """(state code, figure) -> (translated state, figure, the list of that state or None), for
    charts."""
    return (labels.label(labels.STATES, pair[0]), pair[1],
            _overview_link("state" if linked else None, pair[0]))


def named_row(pair, lookup, argument: str | None = None) -> tuple[str, int, str | None]:
    """(reference code, figure) -> (name in the current language, figure, the list filtered
    on `argument` or None), for charts."""
    row = lookup.get(pair[0])
    return ((localized(row) if row is not None else pair[0]), pair[1],
            _overview_link(argument, pair[0]))


def unread_notifications() -> dict:
    """The signed-in user's unread count, for the navigation bar."""
    user = g.get("user")
    return {"unread_notifications": notification_service.unread_count(user) if user else 0}


def trust_proxies(app) -> None:
    """Behind TRUSTED_PROXIES reverse proxies, take the client's address and scheme from them."""
    proxies = app.config["TRUSTED_PROXIES"]
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)


def init_app(app) -> None:
    """Register blueprints, hooks, error handlers and template helpers."""
    from certtrack.web import (
        admin,
        admin_audit,
        admin_jobs,
        admin_limits,
        admin_market_access,
        admin_renewal_list,
        assignment,
        auth,
        certificates,
        consignment_inspection,
        consignment_public,
        consignments,
        dashboard,
        documents,
        exporter,
        inspector,
        issued,
        lab_portal,
        laboratory,
        notifications,
        official,
        password_reset,
        public,
        register,
        registrar,
        tokens,
        verify,
        webhooks,
    )

    _hooks(app)
    for module in (public, auth, exporter, documents, inspector, registrar, admin, dashboard,
                   notifications, assignment, laboratory, admin_limits, admin_renewal_list,
                   admin_market_access, verify, register, certificates, issued,
                   consignment_public, consignments, consignment_inspection, admin_jobs, tokens,
                   webhooks, official, admin_audit, password_reset, lab_portal):
        app.register_blueprint(module.bp)
    _template_helpers(app)


def _hooks(app) -> None:
    """Proxies, the checks of every request (session, login, second factor, CSRF), headers,
    error pages and the sign-in form's rate limit."""
    trust_proxies(app)
    app.url_map.converters["id"] = bounds.IdConverter
    app.before_request(forget_forms)
    # The user first (from the signed session alone), so that a refusal speaks their language.
    app.before_request(access.load_signed_in_user)
    app.before_request(bounds.refuse_hostile_input)
    app.before_request(access.require_login)
    app.before_request(access.require_second_factor)
    app.before_request(check_csrf)
    app.after_request(security_headers)
    errors.init_app(app)
    limits.init_app(app)


def _template_helpers(app) -> None:
    """The translation callables, globals, filters and context processors of the templates."""
    app.jinja_env.install_gettext_callables(
        gettext=templating.gettext, ngettext=templating.ngettext, newstyle=True,
        pgettext=templating.pgettext, npgettext=templating.npgettext)
    # The helpers already behave as new-style callables: templates call them directly rather
    # than through the extension's wrappers.
    app.jinja_env.globals.update(
        _=templating.gettext, gettext=templating.gettext, ngettext=templating.ngettext,
        pgettext=templating.pgettext, npgettext=templating.npgettext)
    app.jinja_env.globals.update(
        labels=labels, consignment_labels=consignment_labels, label=templating.label,
        Role=Role, localized=templating.localized, separator=templating.separator,
        bracketed=templating.bracketed,
        localized_source=templating.localized_source, conclusion=templating.conclusion,
        state_badge=templating.state_badge,
        csrf_token=csrf_token,
        is_overdue=templating.is_overdue, holiday_data_missing=templating.holiday_data_missing,
        get_locale=get_locale, public_page=templating.public_page,
        failed_forms=failed_forms, failed_fields=templating.failed_fields,
        return_path=access.return_path, language_words=i18n.language_words,
        query_args=templating.query_args,
    )
    app.jinja_env.filters.update(
        date=templating.format_date, date_known=templating.format_date_known,
        datetime=templating.format_datetime,
        datetime_zoned=templating.format_datetime_zoned,
        number=templating.format_decimal, unit=numerals.shown_unit,
        keep_references=templating.keep_references,
        kept_whole=templating.kept_whole,
        as_list=templating.as_list, state_row=state_row,
        named_row=named_row)
    app.context_processor(templating.template_context)
    app.context_processor(unread_notifications)
