"""Enterprise and establishment rules, called as the views and the CLI call them."""

import pytest
from sqlalchemy import func, select

from certtrack.extensions import db
from certtrack.models import Enterprise, Establishment
from certtrack.services import enterprises
from certtrack.services.enterprises import EnterpriseInput, EstablishmentInput
from certtrack.services.errors import Conflict, NotFound, PermissionDenied, ValidationFailed

from factories import ENTERPRISE, ESTABLISHMENT, make_exporter_with_application, make_user


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_register_binds_the_exporter_and_writes_an_audit_row(ctx):
    user = make_user("exporter")
    enterprise = enterprises.register_enterprise(
        user, EnterpriseInput.from_mapping({**ENTERPRISE, "bin": " 961141000023 "}))
    assert enterprise.bin == "961141000023"
    assert user.enterprise_id == enterprise.id
    assert enterprises.own_enterprise(user) == enterprise


def test_duplicate_bin_is_refused_on_the_bin_field(ctx):
    make_exporter_with_application("940140000385", complete=False)
    second = make_user("exporter")
    with pytest.raises(ValidationFailed) as refused:
        enterprises.register_enterprise(
            second, EnterpriseInput.from_mapping({**ENTERPRISE, "bin": "940140000385"}))
    assert list(refused.value.errors) == ["bin"]
    assert "already registered" in refused.value.errors["bin"][0]
    assert refused.value.status == 422
    assert second.enterprise_id is None
    assert _count(Enterprise) == 1


def test_all_problems_are_reported_together(ctx):
    user = make_user("exporter")
    with pytest.raises(ValidationFailed) as refused:
        enterprises.register_enterprise(
            user, EnterpriseInput.from_mapping({**ENTERPRISE, "bin": "940140000386",
                                               "region_code": "KZ-00", "legal_form": "guild"}))
    assert set(refused.value.errors) == {"bin", "region_code", "legal_form"}
    assert _count(Enterprise) == 0


@pytest.mark.parametrize("role", ["inspector", "registrar", "admin"])
def test_only_exporters_register(ctx, role):
    with pytest.raises(PermissionDenied):
        enterprises.register_enterprise(
            make_user(role), EnterpriseInput.from_mapping(dict(ENTERPRISE)))
    assert _count(Enterprise) == 0


def test_second_enterprise_for_one_account_is_refused(ctx):
    user, _e, _s, _a = make_exporter_with_application(complete=False)
    with pytest.raises(PermissionDenied):
        enterprises.register_enterprise(
            user, EnterpriseInput.from_mapping({**ENTERPRISE, "bin": "961141000023"}))
    assert _count(Enterprise) == 1


def test_stale_enterprise_edit_is_a_conflict(ctx):
    user, enterprise, _s, _a = make_exporter_with_application(complete=False)
    loaded = enterprise.version
    enterprises.update_enterprise(
        user, enterprise, EnterpriseInput.from_mapping({**ENTERPRISE, "address": "New address",
                                                     "version": loaded}))
    with pytest.raises(Conflict):
        enterprises.update_enterprise(
            user, enterprise, EnterpriseInput.from_mapping({**ENTERPRISE, "address": "Stale",
                                                         "version": loaded}))
    db.session.expire_all()
    assert db.session.get(Enterprise, enterprise.id).address == "New address"


def test_establishment_needs_an_enterprise_first(ctx):
    with pytest.raises(PermissionDenied):
        enterprises.add_establishment(
            make_user("exporter"), EstablishmentInput.from_mapping(dict(ESTABLISHMENT)))
    assert _count(Establishment) == 0


def test_establishment_type_and_region_are_checked(ctx):
    user, _e, _s, _a = make_exporter_with_application(complete=False)
    with pytest.raises(ValidationFailed) as refused:
        enterprises.add_establishment(
            user, EstablishmentInput.from_mapping({**ESTABLISHMENT, "type": "casino",
                                             "region_code": "XX"}))
    assert set(refused.value.errors) == {"type", "region_code"}
    assert _count(Establishment) == 1


@pytest.mark.parametrize("kind", ["dairy", "honey_packing", "cold_store"])
def test_dairies_honey_packers_and_cold_stores_are_establishment_types(ctx, client, kind):
    from forms import login

    user, _e, _s, _a = make_exporter_with_application(complete=False)
    added = enterprises.add_establishment(user, EstablishmentInput.from_mapping(
        {**ESTABLISHMENT, "type": kind, "kz_registration_number": f"KZ-11-{kind}"}))
    assert added.type == kind
    login(client, user.email)  # and the exporter's establishment form offers the type
    page = client.get("/exporter/enterprise").get_data(as_text=True)
    assert {"dairy": "Dairy", "honey_packing": "Honey packing plant",
            "cold_store": "Cold store"}[kind] in page


def test_another_enterprise_establishment_is_not_found(ctx):
    _owner, _e, establishment, _a = make_exporter_with_application("940140000385",
                                                                   complete=False)
    other, _e2, _s2, _a2 = make_exporter_with_application("961141000023", complete=False)
    with pytest.raises(NotFound):
        enterprises.get_establishment(other, establishment.id)
    with pytest.raises(NotFound):
        enterprises.update_establishment(
            other, establishment, EstablishmentInput.from_mapping({**ESTABLISHMENT,
                                                                "name": "Taken over"}))
    db.session.expire_all()
    assert db.session.get(Establishment, establishment.id).name == ESTABLISHMENT["name"]
