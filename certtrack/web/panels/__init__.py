"""What the application detail page shows beyond its summary: one provider per stage."""

from certtrack.web.panels import laboratory, registration, review


def context_for(user, application) -> dict:
    """The template context every stage's panel needs, for this user and application."""
    context: dict = {}
    for provider in (review, laboratory, registration):
        context.update(provider.context(user, application))
    return context
