"""What the application detail page shows beyond its summary: one provider per stage."""

from certtrack.services.permissions import application_rights
from certtrack.web.panels import laboratory, registration, review


def context_for(user, application, failed: dict | None = None) -> dict:
    """The template context every stage's panel needs, for this user and application.

    The panels' flags come from the user's rights on the application; `failed` holds the forms
    that came back with errors, by the name the panels show them under.
    """
    rights = application_rights(user, application)
    context: dict = {}
    for provider in (review, laboratory, registration):
        context.update(provider.context(rights, application, failed or {}))
    return context
