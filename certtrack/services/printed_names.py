"""What a certificate read at China's border prints of the exporter: in Latin or Chinese script.

The consignment certificates print the exporter's legal address and the establishment's name and
address in English (or Chinese); the certificate of export eligibility prints them beside their
Kazakh and Russian lines. A Cyrillic text in their place is not read at the border, and a
transliteration made by the app would not match the contract and the waybill the exporter
wrote: the exporter writes them, on the enterprise's and the establishment's pages, where a new
one is refused without them. An enterprise or establishment entered before that rule is held
here, before a consignment is submitted and before any certificate is issued.
"""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from certtrack.domain.scripts import latin, latin_or_chinese
from certtrack.models import Enterprise, Establishment

# The texts the recommendation dossier to GACC prints as they were written (its wording is
# English with Chinese): the exporter's questionnaire answers and legal representative, and the
# English (or Chinese) version of the inspection's summary, which the inspector writes in
# Kazakh or Russian. Their forms say so, and the services refuse Cyrillic in them, as they
# refuse it in the legal name in English.
DOSSIER_HINT = _l("In Latin or Chinese script: the recommendation dossier sent to China's "
                  "customs prints it as written.")
DOSSIER_SCRIPT = _l("Write it in Latin or Chinese script: the recommendation dossier sent to "
                    "China's customs prints it as written.")
DOSSIER_VERSION_NEEDED = _l("Give it in English or Chinese too: the recommendation dossier "
                            "sent to China's customs prints this version.")
QUESTIONNAIRE_TEXTS = ("haccp_details", "traceability", "last_inspection_authority")


def dossier_script_errors(**texts: str | None) -> dict[str, list[str]]:
    """Take texts the dossier prints, by field; return the error of each written in a script
    other than Latin or Chinese (empty when there is none). Changes nothing."""
    return {field: [str(DOSSIER_SCRIPT)] for field, text in texts.items()
            if (text or "").strip() and not latin_or_chinese(text)}


def dossier_version_errors(**versions: tuple[str | None, str | None]) -> dict[str, list[str]]:
    """Take, by the field of each version for the dossier, the text as written and that
    version; return the error of each version in Cyrillic, or missing while the text it
    stands for is not in Latin or Chinese script (the dossier would print Cyrillic). Changes
    nothing."""
    errors = dossier_script_errors(**{field: version for field, (_text, version)
                                      in versions.items()})
    for field, (text, version) in versions.items():
        if (text or "").strip() and not (version or "").strip() and not latin_or_chinese(text):
            errors[field] = [str(DOSSIER_VERSION_NEEDED)]
    return errors


def questionnaire_script_errors(data) -> dict[str, list[str]]:
    """The errors of the questionnaire's free texts (dossier_script_errors)."""
    return dossier_script_errors(**{field: getattr(data, field)
                                    for field in QUESTIONNAIRE_TEXTS})


def unprintable(enterprise: Enterprise, establishment: Establishment) -> list[str]:
    """Take an enterprise and one of its establishments; return, in words that say what to
    write and where, each text a consignment certificate would print in a script China's
    border does not read (empty when there is none). Changes nothing."""
    problems = unprintable_enterprise(enterprise)
    name = establishment.name_in("en")
    for field, message in (
            ("name_en", _("Establishment %(name)s has no name in English, which the "
                          "certificates China's border reads print: add it on the "
                          "enterprise's page, under Establishments (a registered "
                          "establishment's waits for the registrar's approval).", name=name)),
            ("address_en", _("Establishment %(name)s has no address in English, which the "
                             "certificates China's border reads print: add it on the "
                             "enterprise's page, under Establishments (a registered "
                             "establishment's waits for the registrar's approval).",
                             name=name))):
        value = (getattr(establishment, field) or "").strip()
        if not value or not latin(value):
            problems.append(message)
    return problems


def unprintable_enterprise(enterprise: Enterprise) -> list[str]:
    """What the certificate of export eligibility, too, prints of the enterprise in a script
    China's border does not read: the legal address, which it prints in no other language, and
    the legal name in English. (It prints the establishment in each language given, English or
    Chinese among them or not: the registration it certifies names the establishment as GACC
    listed it.) Changes nothing."""
    problems = []
    if not (enterprise.address or "").strip() or not latin_or_chinese(enterprise.address):
        problems.append(_("The enterprise's legal address is not written in Latin or Chinese "
                          "script, as the certificates China's border reads print it: write it "
                          "so on the enterprise's page (Edit profile)."))
    if not latin(enterprise.name_en or "") or not (enterprise.name_en or "").strip():
        problems.append(_("The enterprise's legal name in English is not written in Latin "
                          "letters: correct it on the enterprise's page (Edit profile)."))
    return problems
