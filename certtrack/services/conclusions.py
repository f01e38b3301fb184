"""The inspector's conclusion: what still blocks a positive one, and both conclusions."""

from collections import Counter
from dataclasses import dataclass, replace

from flask_babel import force_locale, get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from certtrack.domain import compliance
from certtrack.domain.workflow import Action, State, check_transition
from certtrack.extensions import db
from certtrack.models import Application, Finding, LabLimit, LabResult, Sample, User
from certtrack.services.applications import apply_transition, local_today
from certtrack.services.errors import ValidationFailed
from certtrack.services.lab_results import judge_now, to_domain_result, valid_until
from certtrack.services.limits import limits_for_products, to_domain_limit
from certtrack.services.local_dates import LocalName, format_day
from certtrack.services.notifications import enterprise_users, exporter_link, notify
from certtrack.services.numerals import shown, shown_unit, with_remark
from certtrack.services.permissions import require_inspector
from certtrack.services.printed_names import dossier_script_errors
from certtrack.services.quarantine import MEASURE_NAMES, failing_measurements
from certtrack.services.review import reviewable_documents
from certtrack.services.transaction import transaction


@dataclass(frozen=True)
class Check:
    """What a positive conclusion needs: the blockers in words, and the blockers themselves."""

    blockers: list[compliance.Blocker]
    messages: list[str]

    @property
    def allows_positive(self) -> bool:
        """True when nothing blocks a positive conclusion."""
        return not self.blockers


def limit_labels(limits: list[LabLimit], locale: str | None = None) -> dict[int, str]:
    """A name per limit row in `locale` (the user's language by default): the parameter, with
    the matrix when the parameter has several."""
    locale = locale or str(get_locale() or "en")
    counts = Counter(limit.parameter.casefold() for limit in limits)
    return {limit.id: limit.parameter_in(locale) if counts[limit.parameter.casefold()] == 1
            else with_remark(limit.parameter_in(locale), limit.matrix_in(locale), locale)
            for limit in limits}


def application_limits(application: Application) -> list[LabLimit]:
    """The limits that apply to any of the application's products."""
    return limits_for_products(line.product_code for line in application.products)


def required_limits(application: Application) -> list[LabLimit]:
    """The limits the application's products require a result for."""
    return [limit for limit in application_limits(application) if limit.required]


def latest_results(application: Application) -> list[LabResult]:
    """The results that count: the newest per limit, product and sample (per parameter for
    results without a limit). Barley's DON result does not replace wheat's, and one lot's does
    not hide another lot's, which counts beside it: a failing lot blocks whatever the others
    show, until a retest, a new sample's result recorded with its reason, replaces them all."""
    return list(_latest(application).values())


def _latest(application: Application) -> dict[tuple, LabResult]:
    query = (select(LabResult, Sample.product_code).join(Sample, Sample.id == LabResult.sample_id)
             .where(LabResult.application_id == application.id)
             .order_by(LabResult.tested_on, LabResult.id))
    latest: dict = {}
    for row, product in db.session.execute(query):
        test = (row.limit_id or row.parameter.casefold(), product)
        if (*test, row.sample_id) not in latest and (row.correction or "").strip():
            latest = {key: kept for key, kept in latest.items() if key[:2] != test}
        latest[(*test, row.sample_id)] = row
    return latest


def _requirement_names(application: Application, labels: dict[int, str]):
    """name(limit id, product code): a limit's name, with the product's when the limit covers
    several of the application's products (each needs its own sample's result)."""
    products = {line.product_code: line.product for line in application.products}
    locale = str(get_locale() or "en")

    def name(limit: LabLimit, code: str) -> str:
        if len(products.keys() & set(limit.products.split())) < 2 or code not in products:
            return labels[limit.id]
        return with_remark(labels[limit.id], products[code].name_in(locale), locale)
    return name


def open_finding_severities(application: Application) -> list[str]:
    """The severities of the application's findings that are not closed."""
    return list(db.session.scalars(select(Finding.severity).where(
        Finding.application_id == application.id, Finding.status != "closed")))


def _stored_evaluation(row: LabResult, name: str) -> compliance.Evaluation:
    limit = (replace(to_domain_limit(row.limit), parameter=name) if row.limit is not None else
             compliance.Limit(name, "", "absent", None, None, row.limit_source,
                              row.limit_confidence))
    return compliance.Evaluation(compliance.Verdict(row.verdict), row.verdict, limit, None,
                                 row.reason)


def _evaluation_today(row: LabResult, name: str) -> compliance.Evaluation:
    """The stored evaluation, unless the limit in force today (an administrator's correction,
    a newer standard) fails a result that the limit it was judged by passed: a conclusion
    stands on the limits of its day."""
    stored = _stored_evaluation(row, name)
    now = judge_now(row)
    if now is not None and now.limit.kind == compliance.LimitKind.max \
            and now.verdict == compliance.Verdict.non_compliant and stored.counts_as_compliant:
        return replace(stored, verdict=compliance.Verdict.non_compliant,
                       reason_code="fails_limit_in_force")
    return stored


def check_conclusion(application: Application) -> Check:
    """What prevents a positive conclusion today, judged on the stored verdicts and, where it
    is stricter, the limit in force today.

    Counts the latest result per limit and product, valid today: a limit of several of the
    application's products needs a result of each product's sample. An expired result counts
    only for a required parameter (as expired); open critical and major findings block.
    """
    today = local_today()
    latest = _latest(application)
    labels = limit_labels(list({limit.id: limit for limit in
                                [*application_limits(application),
                                 *(row.limit for row in latest.values() if row.limit)]}.values()))
    named = _requirement_names(application, labels)
    codes = [line.product_code for line in application.products]
    required_names = list(dict.fromkeys(
        named(limit, code) for limit in required_limits(application)
        for code in codes if code in limit.products.split()))
    pairs, rows, samples = [], {}, Counter()
    for (_key, product, _sample), row in latest.items():
        name = named(row.limit, product) if row.limit else row.parameter
        result = to_domain_result(row, name)
        if compliance.is_valid_on(result, today) or name in required_names:
            pairs.append((result, _evaluation_today(row, name)))
            rows[id(result)] = row
            samples[name] += 1
    severities = open_finding_severities(application)
    blockers = compliance.conclusion_blockers(required_names, pairs, severities, today)
    counts = Counter(severity for severity in severities)
    messages = [_blocker_message(_of_sample(b, rows, samples), rows.get(id(b.result)), counts)
                for b in blockers]
    for document in unreviewed_documents(application):
        blockers.append(compliance.Blocker("unreviewed_document", document.document_type_code,
                                           document.review_status))
        messages.append(str(UNREVIEWED[document.review_status]) % {
            "document": str(LocalName.of(document.document_type)),
            "version": document.version})
    for row in failing_measurements(application):
        name = MEASURE_NAMES[row.measure]
        blockers.append(compliance.Blocker("non_compliant_measurement", str(name), ""))
        messages.append(_(
            "%(measure)s of %(product)s does not meet its requirement: %(value)s measured. "
            "Measure again after the correction, or conclude negatively.", measure=name,
            product=row.product.name_in(str(get_locale() or "en")),
            value=shown(row.value) + (" %" if row.unit == "%" else "")))
    return Check(blockers, messages)


# A document's latest version not accepted, which the dossier to GACC would list (a version
# uploaded with the corrective actions came after the completeness check).
UNREVIEWED = {
    "pending": _l("%(document)s, version %(version)s, has not been reviewed: accept or reject "
                  "it under “Completeness check”."),
    "rejected": _l("%(document)s, version %(version)s, was rejected: a positive conclusion "
                   "needs an accepted version."),
}


def unreviewed_documents(application: Application):
    """The latest version of each reviewed document that is not accepted."""
    return [d for d in reviewable_documents(application) if d.review_status != "accepted"]


def _of_sample(blocker: compliance.Blocker, rows: dict, samples: Counter) -> compliance.Blocker:
    """The blocker, its parameter naming the sample when several samples have its result."""
    row = rows.get(id(blocker.result))
    if row is None or samples[blocker.parameter] < 2:
        return blocker
    return replace(blocker, parameter=with_remark(
        blocker.parameter, _("sample %(code)s", code=row.sample.code)))


def _blocker_message(blocker: compliance.Blocker, row: LabResult | None, counts: Counter) -> str:
    if blocker.code == "missing_result":
        return _("No valid, compliant result for %(parameter)s.", parameter=blocker.parameter)
    if blocker.code == "expired_result":
        return _("The %(parameter)s result of %(tested)s has expired (valid until %(until)s); it "
                 "does not count.",
                 parameter=blocker.parameter, tested=format_day(row.tested_on),
                 until=format_day(valid_until(row)))
    if blocker.code == "non_compliant_result" and row.verdict != "non_compliant":
        return _("%(parameter)s: the result of %(tested)s met the limit it was judged by, but "
                 "not the limit in force today, %(limit)s at most. Test again, or conclude "
                 "negatively.", parameter=blocker.parameter, tested=format_day(row.tested_on),
                 limit=_limit_in_force(row))
    if blocker.code == "non_compliant_result":
        return _("%(parameter)s is not compliant. %(detail)s", parameter=blocker.parameter,
                 detail=describe_result(row))
    severity = blocker.code.removeprefix("open_").removesuffix("_findings")
    number = counts[severity]
    if severity == "critical":
        return ngettext("%(num)d critical finding is still open.",
                        "%(num)d critical findings are still open.", number)
    return ngettext("%(num)d major finding is still open.",
                    "%(num)d major findings are still open.", number)


def _limit_in_force(row: LabResult) -> str:
    """The maximum in force today that a result judged compliant by its own fails."""
    limit = judge_now(row).limit
    return f"{shown(limit.value)} {shown_unit(limit.unit)}"


def _shown_value(row: LabResult, limit: LabLimit | None) -> str:
    text = f"{shown(row.value)} {shown_unit(row.unit)}"
    if limit is not None and limit.unit and row.unit and limit.unit != row.unit:
        converted = compliance.convert(row.value, row.unit, limit.unit)
        text += f" (= {shown(converted)} {shown_unit(limit.unit)})"
    return text


def describe_result(row: LabResult) -> str:
    """The verdict on a stored result as a sentence in the user's language, with its numbers."""
    limit, kind = row.limit, row.limit.kind if row.limit is not None else None
    if row.verdict == compliance.Verdict.below_loq:
        if row.value is None:
            return _("Not detected.")
        return _("%(value)s is below the limit of quantification (%(loq)s %(unit)s).",
                 value=_shown_value(row, None), loq=shown(row.loq), unit=shown_unit(row.unit))
    compliant = row.verdict == compliance.Verdict.compliant
    if kind == compliance.LimitKind.max:
        value, unit = (row.limit_value, row.limit_unit) if row.limit_value is not None \
            else (limit.value, limit.unit)  # the limit as judged, not as edited since
        bound = f"{shown(value)} {shown_unit(unit)}"
        if compliant:
            return _("%(value)s is within the limit of %(limit)s.",
                     value=_shown_value(row, limit), limit=bound)
        return _("%(value)s exceeds the limit of %(limit)s.",
                 value=_shown_value(row, limit), limit=bound)
    if kind == compliance.LimitKind.not_detected:
        if compliant:
            return _("Not detected.")
        if row.value is not None:
            return _("Detected at %(value)s, although the substance is banned and must not be "
                     "detected.", value=_shown_value(row, None))
        return _("Detected, although the substance is banned and must not be detected.")
    if kind == compliance.LimitKind.absent:
        return _("Not found.") if compliant else _("Found, although it must be absent.")
    return row.reason


# A positive conclusion without a text of its own: stored as this English sentence, its message,
# and shown in each reader's language (`conclusion_in`).
STANDARD_POSITIVE = _l("No open critical or major finding; every required laboratory result is "
                       "valid and compliant.")
STANDARD_POSITIVE_TEXT = STANDARD_POSITIVE._args[0]
# Its form for products China's limits require no test of (rapeseed meal, honey): "every
# required laboratory result" read in the dossier beside "No laboratory results".
STANDARD_NO_TESTS = _l("No open critical or major finding; China's limits require no laboratory "
                       "test of these products.")
STANDARD_NO_TESTS_TEXT = STANDARD_NO_TESTS._args[0]
STANDARD_SENTENCES = {str(sentence._args[0]): sentence
                      for sentence in (STANDARD_POSITIVE, STANDARD_NO_TESTS)}


def conclusion_in(stored: str | None, locale: str) -> str:
    """An application's conclusion as a reader of `locale` reads it: the standard sentence in
    that language, a text the inspector wrote as written."""
    if stored in STANDARD_SENTENCES:
        with force_locale(locale):
            return str(STANDARD_SENTENCES[stored])
    return stored or ""


def conclude_positive(actor: User, application: Application, text: str = "") -> None:
    """Conclude positively (inspected → conclusion_positive) when nothing blocks it.

    Stores the conclusion text (a standard sentence when empty) and notifies the exporter.
    :raise NotFound / PermissionDenied: see permissions.require_inspector().
    :raise IllegalTransition: not allowed in the application's state.
    :raise ValidationFailed: something blocks it; every blocker is listed in words. Or the
        text is in Cyrillic: the recommendation dossier to GACC prints it as written.
    :raise Conflict: someone else changed the state first.
    """
    require_inspector(actor, application)
    check_transition(State(application.state), Action.conclude_positive, actor.role)
    if errors := dossier_script_errors(conclusion=text):
        raise ValidationFailed(errors)
    check = check_conclusion(application)
    if not check.allows_positive:
        raise ValidationFailed({"": check.messages},
                               _("A positive conclusion is not possible yet."))
    text = text.strip() or (STANDARD_POSITIVE_TEXT if required_limits(application)
                            else STANDARD_NO_TESTS_TEXT)
    _conclude(actor, application, Action.conclude_positive, text, comment="")


def conclude_negative(actor: User, application: Application, reasons: str) -> None:
    """Conclude negatively (inspected → conclusion_negative, terminal) with the reasons.

    :raise NotFound / PermissionDenied: see permissions.require_inspector().
    :raise IllegalTransition: not allowed in the application's state.
    :raise ValidationFailed: no reasons given.
    :raise Conflict: someone else changed the state first.
    """
    require_inspector(actor, application)
    check_transition(State(application.state), Action.conclude_negative, actor.role)
    _conclude(actor, application, Action.conclude_negative, reasons.strip(), comment=reasons)


def _conclude(actor: User, application: Application, action: Action, text: str,
              comment: str) -> None:
    reference, enterprise_id = application.reference, application.enterprise_id
    if action == Action.conclude_positive:
        message = _l("The inspection of application %(ref)s concluded positively.", ref=reference)
    else:
        message = _l("The inspection of application %(ref)s concluded negatively: %(reasons)s",
                     ref=reference, reasons=text)
    with transaction():
        apply_transition(actor, application, action, comment=comment,
                         values={"conclusion": text, "stage_deadline": None})
        notify(enterprise_users(enterprise_id), "conclusion", message,
               exporter_link(application))
