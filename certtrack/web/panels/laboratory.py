"""Detail-page panel for the laboratory stage."""


def context(user, application) -> dict:
    """Template context for the laboratory panel."""
    return {}
