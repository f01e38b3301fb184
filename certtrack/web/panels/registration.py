"""Detail-page panel for the registration stage."""


def context(user, application) -> dict:
    """Template context for the registration panel."""
    return {}
