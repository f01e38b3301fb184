"""Which language a request is served in: the user's choice, the session's, the browser's."""

from flask import current_app, g, has_request_context, request, session


def select_locale() -> str:
    """The signed-in user's language, else the one chosen this session, else the browser's."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    user = g.get("user")
    if user is not None and user.locale in languages:
        return user.locale
    if session.get("locale") in languages:
        return session["locale"]
    return request.accept_languages.best_match(languages) or languages[0]
