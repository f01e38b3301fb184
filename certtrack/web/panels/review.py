"""Detail-page panel for the review stage."""


def context(user, application) -> dict:
    """Template context for the review panel."""
    return {}
