"""Verification codes typed from paper: Crockford base32, grouped, forgiving of case,
separators and look-alikes; codes issued before them keep working."""

import secrets

import pytest

from certtrack.domain.verification import (
    ALPHABET,
    canonical_code,
    code_matches,
    group_code,
    new_verification_code,
    verification_path,
    verification_url,
)


def test_a_new_code_is_24_crockford_symbols_and_never_repeats():
    codes = {new_verification_code() for _ in range(500)}
    assert len(codes) == 500
    for code in codes:
        assert len(code) == 24 and set(code) <= set(ALPHABET)
    assert not set("ILOU") & set(ALPHABET)
    assert len(ALPHABET) ** 24 >= 2 ** 100


def test_a_code_is_printed_in_groups_of_four():
    assert group_code("7WZP3KV9SXR2MT8DFH4QAC6N") == "7WZP-3KV9-SXR2-MT8D-FH4Q-AC6N"


@pytest.mark.parametrize("typed", [
    "7WZP3KV9SXR2MT8DFH4QAC6N", "7wzp 3kv9 sxr2 mt8d fh4q ac6n", "7WZP-3KV9-SXR2-MT8D-FH4Q-AC6N",
    " 7wzp-3kv9 sxr2mt8d-fh4q ac6n ",
])
def test_a_code_is_found_in_any_case_with_or_without_separators(typed):
    assert code_matches("7WZP3KV9SXR2MT8DFH4QAC6N", typed)


def test_look_alike_letters_are_read_as_the_digits_they_resemble():
    assert code_matches("10A1B0CD0E1F1G0H1JKMNPQR", "IOAlBoCDOEiFLGOHIJKMNPQR")


@pytest.mark.parametrize("typed", ["", "7WZP3KV9SXR2MT8DFH4QAC6", "7WZP3KV9SXR2MT8DFH4QAC6M",
                                   "7WZP3KV9SXR2MT8DFH4QAC6NN"])
def test_a_different_code_is_refused(typed):
    assert not code_matches("7WZP3KV9SXR2MT8DFH4QAC6N", typed)


def test_a_code_issued_before_the_alphabet_is_still_compared_exactly():
    legacy = secrets.token_urlsafe(24)
    assert code_matches(legacy, legacy) and code_matches(legacy, f" {legacy} ")
    assert not code_matches(legacy, legacy.swapcase())
    assert group_code(legacy) == legacy and canonical_code(legacy) == legacy


def test_the_one_canonical_address_carries_the_grouped_code():
    code = "7WZP3KV9SXR2MT8DFH4QAC6N"
    assert verification_url("https://certtrack.example.kz/", "KZ-CN-2026-000042", code) == \
        "https://certtrack.example.kz/verify/KZ-CN-2026-000042/7WZP-3KV9-SXR2-MT8D-FH4Q-AC6N"
    assert verification_path("KZ-PC-2026-000001", code, "consignment") == \
        "/verify/consignment/KZ-PC-2026-000001/7WZP-3KV9-SXR2-MT8D-FH4Q-AC6N"
    assert verification_path("KZ-CN-2026-000042", "a/b?c") == "/verify/KZ-CN-2026-000042/a%2Fb%3Fc"
