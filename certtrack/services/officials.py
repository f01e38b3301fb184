"""Authorised officials: how a registrar or inspector is named on the documents they sign."""

from flask_babel import gettext as _

from certtrack.domain.scripts import fits_language
from certtrack.domain.workflow import Role
from certtrack.extensions import db
from certtrack.models import OfficialProfile, User
from certtrack.services.audit import record_event
from certtrack.services.errors import Conflict, PermissionDenied, ValidationFailed
from certtrack.services.inputs import OfficialInput
from certtrack.services.permissions import has_role
from certtrack.services.print_context import LANGUAGES, authority, names
from certtrack.services.transaction import stale_message, transaction

FIELDS = tuple(f"{kind}_{lang}" for kind in ("name", "position") for lang in LANGUAGES)
# Printed on every certificate and dossier: Kazakh (the state language) and English (the
# documents' language with China) are required; Russian and Chinese are added when known.
REQUIRED = ("name_kk", "name_en", "position_kk", "position_en")


def require_official(actor) -> None:
    """:raise PermissionDenied: `actor` is neither a registrar nor an inspector."""
    if not has_role(actor, Role.registrar, Role.inspector):
        raise PermissionDenied(_("Only registrars and inspectors sign documents."))


def official_profile(user: User | None) -> OfficialProfile | None:
    """The user's official profile, or None when they have not entered one."""
    if user is None or getattr(user, "id", None) is None:
        return None
    return db.session.get(OfficialProfile, user.id)


def unsigned_refusal(user: User | None) -> str | None:
    """Why `user` cannot sign a consignment certificate yet: it prints the name and position of
    the officer who issues it (ISPM 12's "Name of authorized officer"), never the authority's
    name in that box; None once their official profile is saved."""
    if official_profile(user) is not None:
        return None
    return _("Your official profile first: the certificate prints the name and position of "
             "the officer who issues it. Enter them on your account page.")


def language_errors(values: dict[str, str], required: tuple[str, ...]) -> dict[str, list[str]]:
    """The problems of multilingual fields (name_kk, ..., address_zh: the language is the
    field's suffix, no suffix is Kazakh): a required one left empty, or one written in
    another script than its language's (English in Latin letters, Chinese in Han)."""
    errors: dict[str, list[str]] = {}
    for field, value in values.items():
        lang = field.rsplit("_", 1)[-1] if field[-3:-2] == "_" else "kk"
        if not value:
            if field in required:
                errors[field] = [_("This field is required.")]
        elif lang == "zh" and not fits_language(lang, value):
            errors[field] = [_("Write this in Chinese characters.")]
        elif lang == "en" and not fits_language(lang, value):
            errors[field] = [_("Write this in Latin letters, as the certificates China’s "
                               "border reads print it.")]
        elif not fits_language(lang, value):
            errors[field] = [_("Write this in letters of the field's language, without "
                               "Chinese characters.")]
    return errors


def save_official_profile(actor: User, data: OfficialInput) -> OfficialProfile:
    """Take a registrar or inspector and their names and positions; store them as the actor's
    official profile (created on first save). `data.version` guards against stale edits.

    :raise PermissionDenied: not a registrar or an inspector.
    :raise ValidationFailed: a required field is empty, or a field is in the wrong script.
    :raise Conflict: saved elsewhere since the form was loaded.
    """
    require_official(actor)
    values = {field: (getattr(data, field) or "").strip() for field in FIELDS}
    if errors := language_errors(values, REQUIRED):
        raise ValidationFailed(errors)
    profile = official_profile(actor)
    if profile is not None and data.version not in (None, "") \
            and str(profile.version) != str(data.version):
        raise Conflict(stale_message())
    with transaction():
        if profile is None:
            profile = OfficialProfile(user_id=actor.id)
            db.session.add(profile)
        for field, value in values.items():
            setattr(profile, field, value)
        db.session.flush()
        record_event(actor, "official_profile_saved", object_type="user", object_id=actor.id,
                     data={"name_en": values["name_en"]})
    return profile


def signer(user: User | None, committee: str | None) -> dict:
    """Who signs a document for the committee's authority (print_context.authority): the
    user's official name and position in every language given; without a profile, the
    authority itself, so that a document never names an account."""
    profile = official_profile(user)
    if profile is None:
        return {"name": authority(committee)["name"], "position": {}}
    return {"name": names(profile), "position": names(profile, "position")}
