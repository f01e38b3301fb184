"""The exporter registers an enterprise by BIN and manages its establishments through the pages."""

import html
import re

import pytest
from flask import g
from sqlalchemy import select

from certtrack.domain.identifiers import IdentifierError, validate_bin
from certtrack.extensions import db
from certtrack.models import Enterprise, Establishment

from factories import ENTERPRISE, ESTABLISHMENT, make_exporter_with_application, make_user
from forms import csrf_token, login, post

NEW_ENTERPRISE = "/exporter/enterprise/new"
VALID_BINS = ["940140000385", "961141000023"]
MESSAGES = {
    "length": "A BIN has exactly 12 digits.",
    "digits": "A BIN has digits only, without letters or other signs.",
    "structure": "This is not the layout of a BIN (month, entity type, attribute).",
    "check_digit": "The check digit does not match: please check the number.",
}


def _single_digit_changes(number: str):
    for position, original in enumerate(number):
        for digit in "0123456789":
            if digit != original:
                yield position, number[:position] + digit + number[position + 1:]


def _refusal_code(value: str) -> str | None:
    """The code the domain validator refuses `value` with, or None when it accepts it."""
    try:
        validate_bin(value)
    except IdentifierError as error:
        return error.code
    return None


# The variants the published algorithm detects; tests/domain/test_identifiers.py lists the 16
# it cannot (weight 11 at position 11, and switches between the two weighting passes).
DETECTABLE = [(number, position, value) for number in VALID_BINS
              for position, value in _single_digit_changes(number) if _refusal_code(value)]
# One detectable variant per position of each published BIN, posted through the page (for
# 940140000385 no change of digit 11 is detectable: its weight in the first pass is 11).
SAMPLE = list({(n, pos): v for n, pos, v in reversed(DETECTABLE)}.values())


def field_error(page: str, field: str) -> str:
    """The error text shown beside a field (empty when there is none)."""
    match = re.search(rf'<p class="error" id="{field}-error">(.*?)</p>', page, re.S)
    return html.unescape(match.group(1)).strip() if match else ""


def input_value(page: str, field: str) -> str | None:
    """The value a text input is re-rendered with."""
    match = re.search(rf'<input[^>]*\bid="{field}"[^>]*>', page)
    assert match, f"no input {field}"
    value = re.search(r'value="([^"]*)"', match.group(0))
    return html.unescape(value.group(1)) if value else None


def _signed_in_exporter(client):
    user = make_user("exporter")
    login(client, user.email)
    return user


def _enterprise_count() -> int:
    return len(db.session.scalars(select(Enterprise)).all())


def test_detectable_variants_are_all_but_the_sixteen_the_algorithm_cannot_see():
    assert len(DETECTABLE) == 2 * 12 * 9 - 16
    positions = {(n, pos) for n, pos, _v in DETECTABLE}
    assert positions == {(n, p) for n in VALID_BINS for p in range(12)} - {("940140000385", 10)}
    assert len(SAMPLE) == len(set(SAMPLE)) == 23


@pytest.mark.parametrize("bin_", VALID_BINS)
def test_published_bin_registers_the_enterprise(ctx, client, bin_):
    user = _signed_in_exporter(client)
    response = post(client, NEW_ENTERPRISE, {**ENTERPRISE, "bin": bin_})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/exporter/establishments/new")
    enterprise = db.session.scalar(select(Enterprise).where(Enterprise.bin == bin_))
    assert enterprise is not None
    assert enterprise.name_en == ENTERPRISE["name_en"]
    db.session.refresh(user)
    assert user.enterprise_id == enterprise.id


@pytest.mark.parametrize("typed", ["9401 4000 0385", "940 140 000 385", "9401-4000-0385"])
def test_a_bin_typed_in_groups_is_stored_as_its_12_digits(ctx, client, typed):
    _signed_in_exporter(client)
    response = post(client, NEW_ENTERPRISE, {**ENTERPRISE, "bin": typed})
    assert response.status_code == 302
    assert db.session.scalar(select(Enterprise.bin)) == "940140000385"


def test_bin_with_surrounding_spaces_is_stored_trimmed(ctx, client):
    _signed_in_exporter(client)
    response = post(client, NEW_ENTERPRISE, {**ENTERPRISE, "bin": "  961141000023 "})
    assert response.status_code == 302
    assert db.session.scalar(select(Enterprise.bin)) == "961141000023"


@pytest.mark.parametrize("variant", SAMPLE)
def test_single_digit_change_is_refused_beside_the_field(ctx, client, variant):
    _signed_in_exporter(client)
    response = post(client, NEW_ENTERPRISE, {**ENTERPRISE, "bin": variant})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert field_error(page, "bin") == MESSAGES[_refusal_code(variant)]
    assert input_value(page, "bin") == variant
    assert _enterprise_count() == 0


def test_every_detectable_single_digit_change_is_refused(ctx, client):
    _signed_in_exporter(client)
    token = csrf_token(client, NEW_ENTERPRISE)
    wrong = []
    for _number, _position, variant in DETECTABLE:
        response = post(client, NEW_ENTERPRISE, {**ENTERPRISE, "bin": variant,
                                                 "csrf_token": token})
        shown = field_error(response.get_data(as_text=True), "bin")
        if response.status_code != 422 or shown != MESSAGES[_refusal_code(variant)]:
            wrong.append((variant, response.status_code, shown))
    assert wrong == []
    assert _enterprise_count() == 0


@pytest.mark.parametrize(("value", "code"), [
    ("94014000038", "length"),       # 11 digits
    ("9401400003850", "length"),     # 13 digits
    ("94014000038A", "digits"),      # a letter
    ("ABCDEFGHIJKL", "digits"),
    ("9401400 0385", "length"),      # 11 digits once the space that groups them is dropped
    ("9401-4000-038", "length"),     # hyphens dropped too: 11 digits
    ("", "required"),
])
def test_malformed_bin_is_refused_with_its_message(ctx, client, value, code):
    _signed_in_exporter(client)
    response = post(client, NEW_ENTERPRISE, {**ENTERPRISE, "bin": value})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    expected = "This field is required." if code == "required" else MESSAGES[code]
    assert field_error(page, "bin") == expected
    assert _enterprise_count() == 0


def test_bin_already_registered_is_refused(ctx, client):
    make_exporter_with_application("940140000385", complete=False)
    _signed_in_exporter(client)
    response = post(client, NEW_ENTERPRISE, {**ENTERPRISE, "bin": "940140000385",
                                             "name_en": "Copycat LLP"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "already registered" in field_error(page, "bin")
    assert _enterprise_count() == 1


def test_refused_form_keeps_what_was_typed(ctx, client):
    _signed_in_exporter(client)
    typed = {**ENTERPRISE, "bin": "94014000038A", "name_en": "Steppe <Grain> & Co",
             "legal_representative": "Әлия Нұрланқызы", "phone": "+7 701 000 00 00"}
    response = post(client, NEW_ENTERPRISE, typed)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    for field in ("bin", "name_en", "name_zh", "legal_representative", "phone"):
        assert input_value(page, field) == typed[field], field
    assert "Steppe &lt;Grain&gt; &amp; Co" in page  # escaped, never raw markup
    assert re.search(r'<option selected value="KZ-11">|<option value="KZ-11" selected>', page)
    assert typed["address"] in page


def test_registered_exporter_is_sent_to_the_profile(ctx, client):
    user, enterprise, _s, _a = make_exporter_with_application(complete=False)
    login(client, user.email)
    response = post(client, NEW_ENTERPRISE, {**ENTERPRISE, "bin": "961141000023"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/exporter/enterprise")
    assert _enterprise_count() == 1


# Establishments ---------------------------------------------------------------------------------


LATIN_LETTERS = "Write this in Latin letters, as the certificates China’s border reads print it."


def _registered_exporter(client):
    user, enterprise, establishment, _a = make_exporter_with_application(complete=False)
    login(client, user.email)
    return user, enterprise, establishment


def test_exporter_adds_an_establishment(ctx, client):
    _user, enterprise, _s = _registered_exporter(client)
    data = {"name": "Kostanay mill", "type": "flour_mill", "region_code": "KZ-39",
            "address": "Kostanay, Mill 5", "kz_registration_number": "KZ-39-0042"}
    response = post(client, "/exporter/establishments/new", data)
    assert response.status_code == 302
    row = db.session.scalar(select(Establishment).where(Establishment.name == "Kostanay mill"))
    assert row is not None
    assert (row.enterprise_id, row.type, row.region_code) == (enterprise.id, "flour_mill", "KZ-39")
    page = client.get("/exporter/enterprise").get_data(as_text=True)
    assert "Kostanay mill" in page and "KZ-39-0042" in page


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"name": ""}, "name", "This field is required."),
    ({"type": "spaceport"}, "type", "Not a valid choice."),
    ({"region_code": "KZ-99"}, "region_code", "Not a valid choice."),
    ({"address": ""}, "address", "This field is required."),
    ({"kz_registration_number": "x" * 65}, "kz_registration_number", "64"),
    # "x" was taken as a registration number
    ({"kz_registration_number": "x"}, "kz_registration_number",
     "Enter the number as the Kazakh authority issued it, with its digits, e.g. KZ-11-ELV-0007."),
    ({"kz_registration_number": "нет номера"}, "kz_registration_number", "with its digits"),
    # Cyrillic in an English field was answered "without Chinese characters"
    ({"name_en": "Қостанай диірмені"}, "name_en", LATIN_LETTERS),
    ({"address_en": "Қостанай, Диірмен көшесі 5"}, "address_en", LATIN_LETTERS),
])
def test_invalid_establishment_is_refused(ctx, client, change, field, message):
    _registered_exporter(client)
    before = len(db.session.scalars(select(Establishment)).all())
    response = post(client, "/exporter/establishments/new", {**ESTABLISHMENT, **change})
    assert response.status_code == 422
    assert message in field_error(response.get_data(as_text=True), field)
    assert len(db.session.scalars(select(Establishment)).all()) == before


def test_a_bad_registration_number_is_said_with_the_forms_other_mistakes(ctx, client):
    """Said only once every other field was right: beside an empty name, "x" passed unmarked."""
    _registered_exporter(client)
    response = post(client, "/exporter/establishments/new",
                    {**ESTABLISHMENT, "name": "", "kz_registration_number": "x"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert field_error(page, "name") == "This field is required."
    assert "with its digits" in field_error(page, "kz_registration_number")


def test_exporter_edits_an_establishment(ctx, client):
    _user, _e, establishment = _registered_exporter(client)
    url = f"/exporter/establishments/{establishment.id}"
    page = client.get(url).get_data(as_text=True)
    assert 'value="Kokshetau elevator"' in page
    response = post(client, url, {**ESTABLISHMENT, "name": "Kokshetau elevator No. 2",
                                  "version": establishment.version})
    assert response.status_code == 302
    db.session.refresh(establishment)
    assert establishment.name == "Kokshetau elevator No. 2"
    assert establishment.version == 2


def test_invalid_edit_is_refused_and_keeps_the_row(ctx, client):
    _user, _e, establishment = _registered_exporter(client)
    response = post(client, f"/exporter/establishments/{establishment.id}",
                    {**ESTABLISHMENT, "name": "", "version": establishment.version})
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "name")
    db.session.refresh(establishment)
    assert establishment.name == ESTABLISHMENT["name"]


def test_a_stale_edit_keeps_what_was_typed_and_saves_only_when_sent_again(ctx, client):
    """A stale edit answered with an error page and what the second tab had typed was lost."""
    _user, _e, establishment = _registered_exporter(client)
    url = f"/exporter/establishments/{establishment.id}"
    loaded_version = establishment.version
    first = post(client, url, {**ESTABLISHMENT, "address": "Saved first",
                               "version": loaded_version})
    assert first.status_code == 302
    second = post(client, url, {**ESTABLISHMENT, "address": "Saved from a stale page",
                                "version": loaded_version})
    page = html.unescape(second.get_data(as_text=True))
    assert second.status_code == 409
    assert re.search(r"You saved this record after you opened this page, at .{10,30} \(in "
                     r"another window or tab\)\.", page)
    assert ("What you typed is kept below and was not saved: saving it again replaces that "
            "change.") in page
    assert re.search(r'<textarea[^>]*name="address"[^>]*>\s*Saved from a stale page</textarea>',
                     page)
    assert f'name="version" type="hidden" value="{loaded_version + 1}"' in page
    db.session.expire_all()
    row = db.session.get(Establishment, establishment.id)
    assert (row.address, row.version) == ("Saved first", loaded_version + 1)

    again = post(client, url, {**ESTABLISHMENT, "address": "Saved from a stale page",
                               "version": loaded_version + 1})
    assert again.status_code == 302
    db.session.expire_all()
    assert db.session.get(Establishment, establishment.id).address == "Saved from a stale page"


def test_another_enterprise_establishment_is_not_found(ctx, client):
    _owner, _e, establishment, _a = make_exporter_with_application("940140000385",
                                                                   complete=False)
    other, _e2, _s2, _a2 = make_exporter_with_application("961141000023", complete=False)
    login(client, other.email)
    url = f"/exporter/establishments/{establishment.id}"
    assert client.get(url).status_code == 404
    response = post(client, url, {**ESTABLISHMENT, "name": "Hijacked",
                                  "version": establishment.version})
    assert response.status_code == 404
    db.session.refresh(establishment)
    assert establishment.name == ESTABLISHMENT["name"]


def test_exporter_gives_the_establishment_in_kazakh_and_chinese(ctx, client):
    _user, enterprise, _s = _registered_exporter(client)
    data = {"name": "Қостанай диірмені", "name_zh": "科斯塔奈面粉厂", "name_ru": "",
            "name_en": "", "type": "flour_mill", "region_code": "KZ-39",
            "address": "Қостанай қ., Диірмен көшесі, 5", "address_zh": "科斯塔奈市磨坊街5号",
            "kz_registration_number": "KZ-39-0043"}
    response = post(client, "/exporter/establishments/new", data)
    assert response.status_code == 302
    row = db.session.scalar(select(Establishment).where(
        Establishment.kz_registration_number == "KZ-39-0043"))
    assert (row.name, row.name_zh, row.name_ru, row.name_en) == (
        "Қостанай диірмені", "科斯塔奈面粉厂", "", "")
    assert (row.address, row.address_zh) == (data["address"], data["address_zh"])
    page = client.get(f"/exporter/establishments/{row.id}").get_data(as_text=True)
    assert 'value="科斯塔奈面粉厂"' in page and "科斯塔奈市磨坊街5号" in page
    assert "科斯塔奈面粉厂" in client.get("/exporter/enterprise").get_data(as_text=True)
    assert post(client, "/language", {"locale": "zh"}).status_code == 302
    g.pop("_flask_babel", None)  # the test's application context outlives the requests
    page = client.get(f"/exporter/establishments/{row.id}").get_data(as_text=True)
    assert "<title>科斯塔奈面粉厂 · certtrack</title>" in page  # the reader's name, not Kazakh
    assert "<h1>科斯塔奈面粉厂</h1>" in page


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"name_zh": "Kostanay mill"}, "name_zh", "Write this in Chinese characters."),
    ({"address_zh": "Kostanay, Mill 5"}, "address_zh", "Write this in Chinese characters."),
    ({"name": "科斯塔奈面粉厂"}, "name", "without Chinese characters"),
    ({"name_ru": "12345"}, "name_ru", "without Chinese characters"),
    ({"address_en": "x" * 1001}, "address_en", "1000"),
])
def test_a_name_in_the_wrong_script_is_refused_and_kept_on_the_page(ctx, client, change, field,
                                                                     message):
    _registered_exporter(client)
    before = len(db.session.scalars(select(Establishment)).all())
    response = post(client, "/exporter/establishments/new", {**ESTABLISHMENT, **change})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in field_error(page, field)
    assert html.escape(next(iter(change.values()))[:50]) in page  # what was typed is kept
    assert len(db.session.scalars(select(Establishment)).all()) == before


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"name_zh": "Seitov"}, "name_zh", "Write this in Chinese characters."),
    ({"name_kk": "赛托夫"}, "name_kk", "without Chinese characters"),
])
def test_an_enterprises_legal_name_in_the_wrong_script_is_refused_as_an_elevators(
        ctx, client, change, field, message):
    """The legal name in Chinese took "Seitov", where an establishment's refused it."""
    _signed_in_exporter(client)
    response = post(client, NEW_ENTERPRISE, {**ENTERPRISE, "bin": VALID_BINS[0], **change})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in field_error(page, field)
    assert input_value(page, field) == next(iter(change.values()))
    assert _enterprise_count() == 0


def test_the_establishments_are_listed_by_their_name_in_the_readers_language(app, client):
    with app.app_context():  # each language in a request of its own (Flask-Babel's cache)
        user, _enterprise, establishment, _a = make_exporter_with_application(complete=False)
        establishment.name, establishment.name_zh = "Рудный элеваторы", "鲁德内粮库"
        db.session.commit()
        email, url = user.email, f"/exporter/establishments/{establishment.id}"
    login(client, email)
    post(client, "/language", {"locale": "zh"})
    page = client.get("/exporter/enterprise").get_data(as_text=True)
    assert f'href="{url}">鲁德内粮库</a>' in page
    assert "Рудный элеваторы" in page  # its legal name stays beside it


@pytest.mark.parametrize("phone", ["abc", "123", "+7 701 000 00 00 ext"])
def test_a_phone_that_is_no_number_is_refused_beside_the_field(ctx, client, phone):
    _signed_in_exporter(client)
    response = post(client, NEW_ENTERPRISE, {**ENTERPRISE, "bin": VALID_BINS[0],
                                             "phone": phone})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert field_error(page, "phone") == ("Enter a phone number of 7 to 15 digits, e.g. "
                                          "+7 7152 555 202.")
    assert input_value(page, "phone") == phone and _enterprise_count() == 0


def test_a_bad_phone_is_said_with_a_bad_email_at_once(ctx, client):
    """The page said the e-mail first, and the phone only after the e-mail was corrected."""
    _signed_in_exporter(client)
    response = post(client, NEW_ENTERPRISE, {**ENTERPRISE, "bin": VALID_BINS[0],
                                             "phone": "abc", "email": "not-an-address"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert field_error(page, "phone").startswith("Enter a phone number of 7 to 15 digits")
    assert field_error(page, "email") == "This is not an e-mail address: write it as " \
        "name@example.kz."


@pytest.mark.parametrize("phone", ["+7 (7172) 55-55-55", "8 701 000 00 00"])
def test_a_phone_written_with_brackets_or_hyphens_is_kept_as_typed(ctx, client, phone):
    _signed_in_exporter(client)
    response = post(client, NEW_ENTERPRISE, {**ENTERPRISE, "bin": VALID_BINS[0],
                                             "phone": phone})
    assert response.status_code == 302
    assert db.session.scalar(select(Enterprise.phone)) == phone


def test_the_registration_form_says_beforehand_which_fields_take_latin_script(ctx, client):
    """The legal address and the English name are refused in Cyrillic: the form says so beside
    them before the exporter types, not only in the error after."""
    login(client, make_user("exporter").email)
    page = client.get(NEW_ENTERPRISE).get_data(as_text=True)
    assert re.search(r'id="name_en-hint">In Latin letters, as the certificates China’s border',
                     page)
    assert re.search(r'id="address-hint">In Latin or Chinese script', page)
    assert 'aria-describedby="address-hint"' in page


def test_every_mistake_of_an_enterprise_or_establishment_is_said_at_once(ctx, client):
    """A name in English typed in Cyrillic was said only once the other fields were right:
    the exporter corrected the BIN, sent the form again, and met a new error."""
    _signed_in_exporter(client)
    registered = post(client, NEW_ENTERPRISE, {**ENTERPRISE, "bin": "940140000386",
                                               "name_en": "ТОО Дала Астығы",
                                               "address": "Көкшетау, Абай 1"})
    assert registered.status_code == 422
    page = registered.get_data(as_text=True)
    assert field_error(page, "bin") and field_error(page, "name_en")
    assert "Kostanay, Baimagambetov Street 175" in field_error(page, "address")
    assert _enterprise_count() == 0
    post(client, NEW_ENTERPRISE, ENTERPRISE)
    added = post(client, "/exporter/establishments/new",
                 {**ESTABLISHMENT, "kz_registration_number": "", "name_en": "Көкшетау элеваторы"})
    assert added.status_code == 422
    page = added.get_data(as_text=True)
    assert field_error(page, "kz_registration_number") == "This field is required."
    assert field_error(page, "name_en") == LATIN_LETTERS
