"""Which language a request is served in (the user's choice, the session's, the browser's), and
the name of the language list in every language."""

from flask import current_app, g, has_request_context, request, session
from flask_babel import force_locale, get_locale, gettext


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


def language_words() -> list[tuple[str, str]]:
    """The word "Language" in each language of the app, the page's own first, as (code, word):
    the language list's name, so that a reader who does not read the page's language finds it.
    """
    current = str(get_locale())
    codes = sorted(current_app.config["LANGUAGES"], key=lambda code: code != current)
    words = []
    for code in codes:
        with force_locale(code):
            words.append((code, gettext("Language")))
    return words
