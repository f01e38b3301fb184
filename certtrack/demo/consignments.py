"""Demo consignments in every state: wheat from Kostanay (draft, submitted, under inspection,
withdrawn, issued phytosanitary certificate) and mutton from Taraz (an issued veterinary
certificate, and one refused because GACC suspended the registration after its submission).

What the inspectors and exporters write is Russian; what the certificate prints for China's
border (consignee, place of origin, marks, treatment) is in Latin or Chinese script."""

from datetime import timedelta
from decimal import Decimal

from certtrack.demo import clock
from certtrack.demo.journey import GRAIN_LAB
from certtrack.domain.conveyance_marks import container_check_digit, railway_check_digit
from certtrack.services.applications import local_today
from certtrack.services.consignments import correction, drafts, inspection, issue
from certtrack.services.consignments.inputs import (
    ConsignmentInput,
    InspectionInput,
    LabResultInput,
    LotInput,
    TreatmentInput,
)

CONSIGNEE = {"consignee_name": "Xinjiang Grain Import Co., Ltd. 新疆粮食进口有限公司",
             "consignee_address": "88 Kashi West Road, Urumqi, Xinjiang 乌鲁木齐市喀什西路88号"}
MEAT_CONSIGNEE = {"consignee_name": "霍尔果斯清真肉类贸易有限公司",
                  "consignee_address": "新疆伊犁州霍尔果斯市亚欧路18号"}


def _wagon_number(n: int) -> str:
    """The demo's n-th wagon: a 1520 mm number with its check digit (95120069 for the 6th)."""
    first_seven = f"9512{n:03d}"
    return f"{first_seven}{railway_check_digit(first_seven)}"


def _wheat(cast, registration, wagon: int, submit: bool = True):
    consignment = drafts.create_consignment(cast.exporter, ConsignmentInput(
        registration_id=registration.id, **CONSIGNEE, conveyance="rail_wagon",
        crossing_code="altynkol_khorgos" if wagon % 2 else "dostyk_alashankou",
        origin_region_code=registration.establishment.region_code,
        place_of_origin="Kostanay District 科斯塔奈区"))
    drafts.add_lot(cast.exporter, consignment, LotInput(
        product_code="wheat", net_weight=Decimal("67.2"), gross_weight=Decimal("67.4"),
        weight_unit="t", packages_number=1, packages_kind="bulk",
        marks=f"Wagon {_wagon_number(wagon)}, seal KZ 77{wagon:04d}"))
    if submit:
        drafts.submit_consignment(cast.exporter, consignment)
    return consignment


def _container_number(n: int) -> str:
    """A container number of the demo, its ISO 6346 check digit right ("MSKU 8800129")."""
    serial = f"88{n:04d}"
    return f"MSKU {serial}{container_check_digit('MSKU' + serial)}"


def _mutton(cast, registration, container: int):
    today = local_today()
    consignment = drafts.create_consignment(cast.exporter, ConsignmentInput(
        registration_id=registration.id, **MEAT_CONSIGNEE, conveyance="container",
        crossing_code="nur_zholy_khorgos", origin_region_code="KZ-35",
        place_of_origin="Nura District 努拉区", production_from=today - timedelta(days=9),
        production_to=today - timedelta(days=7), storage_temperature=Decimal("-18")))
    drafts.add_lot(cast.exporter, consignment, LotInput(
        product_code="mutton", net_weight=Decimal("16500"), gross_weight=Decimal("17400"),
        weight_unit="kg", packages_number=660, packages_kind="cartons",
        marks=f"Container {_container_number(container)}, seal 00{container:04d}"))
    drafts.submit_consignment(cast.exporter, consignment)
    return consignment


def _inspect(cast, consignment, place: str) -> None:
    clock.wait("consignment")
    today = local_today()
    inspection.start_inspection(cast.inspector, consignment)
    inspection.record_inspection(cast.inspector, consignment, InspectionInput(
        inspected_on=today, place=place, result="satisfactory"))
    laboratory = (GRAIN_LAB if consignment.kind == "phyto"
                  else "Жамбылская областная ветеринарная лаборатория")
    limits = inspection.limits_for(consignment)
    limit = next(limit for limit in limits if limit.kind == "max")
    inspection.record_lab_result(cast.inspector, consignment, LabResultInput(
        limit_id=limit.id, sample_code=f"CS-{consignment.id}-1", tested_on=today,
        value=Decimal("0.001"), unit=limit.unit, laboratory=laboratory))
    attested = {code for row in inspection.available_declarations(consignment)
                for code in row.tested_by.split()}  # the pests and substances it attests
    for code in sorted(attested):
        limit = next(limit for limit in limits if limit.parameter_code == code)
        inspection.record_lab_result(cast.inspector, consignment, LabResultInput(
            limit_id=limit.id, sample_code=f"CS-{consignment.id}-1", tested_on=today,
            detected=False, laboratory=laboratory))
    if consignment.kind == "phyto":
        inspection.add_treatment(cast.inspector, consignment, TreatmentInput(  # its 120 h done
            type="fumigation", treated_on=today - timedelta(days=6),
            active_substance="aluminium phosphide",
            concentration="3 g/m³", temperature=Decimal("20"), duration="120 h"))
    inspection.set_declarations(cast.inspector, consignment, [
        row.code for row in inspection.available_declarations(consignment)])


def _issued(cast, registration, wagon: int, place: str):
    consignment = _wheat(cast, registration, wagon)
    _inspect(cast, consignment, place)
    clock.wait("consignment")
    return issue.issue_consignment_certificate(cast.inspector, consignment)


def _corrected(cast, consignment) -> None:
    """The exporter finds another wagon's number on the certificate: its draft again, the lot
    corrected, submitted; the inspector issues the corrected certificate, which replaces the
    first."""
    correction.request_correction(cast.exporter, consignment, (
        f"В сертификате номер другого вагона: зерно погружено в вагон {_wagon_number(60)}, "
        f"а не {_wagon_number(6)}."))
    [lot] = consignment.lots
    drafts.remove_lot(cast.exporter, consignment, lot.id)
    drafts.add_lot(cast.exporter, consignment, LotInput(
        product_code="wheat", net_weight=lot.net_weight, gross_weight=lot.gross_weight,
        weight_unit=lot.weight_unit, packages_number=lot.packages_number,
        packages_kind=lot.packages_kind, marks=f"Wagon {_wagon_number(60)}, seal KZ 770006"))
    drafts.submit_consignment(cast.exporter, consignment)
    clock.wait("consignment")
    inspection.start_inspection(cast.inspector, consignment)
    issue.issue_consignment_certificate(cast.inspector, consignment)


def grain(cast, registration) -> None:
    """Under a registration in force: one consignment in each state of the workflow, and
    certificates issued over the past weeks, one of them replaced (another wagon's number,
    corrected) and one cancelled (the goods did not leave); one request waits past its
    deadline."""
    # In the order of the days: a certificate's number follows the day it was issued.
    for wagon, days_ago in ((5, 96), (6, 68), (7, 40), (8, 19), (9, 9)):
        with clock.story(days_ago=days_ago):
            issued = _issued(cast, registration, wagon, f"Kostanay station, track {wagon % 3 + 1}")
            if wagon == 5:  # days after its issue, in the same story: never before it
                clock.wait("consignment")
                correction.cancel(cast.inspector, issued.consignment, (
                    "Покупатель расторг контракт; вагон разгружен на станции Костанай."),
                    "not_exported")
        if wagon == 6:
            with clock.story(days_ago=50):  # after the original, issued by day 56 at the latest
                _corrected(cast, issued.consignment)
    with clock.story(days_ago=12):  # five working days passed with no one taking it up
        _wheat(cast, registration, 10)
    with clock.story(days_ago=52):
        withdrawn = _wheat(cast, registration, 4)
        clock.wait("consignment")
        drafts.withdraw_consignment(cast.exporter, withdrawn, "Покупатель перенёс отгрузку.")
    with clock.story(days_ago=6):
        _inspect(cast, _wheat(cast, registration, 3), "Kostanay station, track 2")
    with clock.story(days_ago=clock.last_working_day_ago()):  # not the minute the demo loads
        _wheat(cast, registration, 2)
        _wheat(cast, registration, 1, submit=False)


def meat_before_suspension(cast, registration):
    """An issued veterinary certificate, and a consignment submitted and waiting."""
    with clock.story(days_ago=45):
        issued = _mutton(cast, registration, 1)
        _inspect(cast, issued, "Taraz slaughterhouse, cold store 1")
        issue.issue_consignment_certificate(cast.inspector, issued)  # within its 2 working days
    with clock.story(days_ago=24):
        return _mutton(cast, registration, 2)


def refuse_after_suspension(cast, consignment) -> None:
    """The waiting consignment is refused: its registration is suspended now. (The veterinary
    inspector writes to Taraz's exporter in Kazakh, the exporter's language.)"""
    number = consignment.registration.china_number
    inspection.refuse_consignment(cast.inspector, consignment, (
        f"ҚХР-дағы {number} тіркеуін ҚХР Бас кеден басқармасы тоқтата тұрды; тоқтата тұру "
        "алынғанша ветеринариялық сертификат берілмейді."))
