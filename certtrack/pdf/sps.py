"""A consignment certificate's data in the UN/CEFACT SPS certificate vocabulary (eCert).

The element names are those of the UN/CEFACT SPS Certificate message (SPSCertificate:
SPSExchangedDocument, SPSConsignment, IncludedSPSConsignmentItem, IncludedSPSTradeLineItem,
ApplicableSPSClassification, AppliedSPSProcess, ...), written as JSON objects. The schema is
docs/schemas/consignment-certificate.schema.json.
"""

from __future__ import annotations

# UN/CEFACT SPS document type codes used by ePhyto (ISPM 12 Appendix 1) and eVet exchanges.
DOCUMENT_TYPE_CODES = {"phyto": "851", "vet": "853"}
TRANSPORT_MODE_CODES = {"rail_wagon": "2", "truck": "3"}  # UN/ECE Rec. 19: rail, road
CROSSING_MODE_CODES = {"rail": "2", "road": "3"}


def mode_code(context: dict) -> str:
    """The mode of the main carriage: a wagon's rail, a truck's road; a container travels as
    the point of entry takes it (by road at Nur Zholy), rail where the certificate's data
    predates the crossing's mode."""
    conveyance = context["conveyance"]["code"]
    if conveyance in TRANSPORT_MODE_CODES:
        return TRANSPORT_MODE_CODES[conveyance]
    return CROSSING_MODE_CODES.get(context["point_of_entry"].get("mode", ""), "2")


def _names(value: dict) -> list[dict]:
    return [{"languageID": lang, "value": text} for lang, text in value.items() if text]


def _party(name: dict | str, address: str, identifier: str | None = None) -> dict:
    party = {"Name": name if isinstance(name, str) else name.get("en") or next(
        iter(name.values()), ""), "SpecifiedSPSAddress": {"LineOne": address}}
    if identifier:
        party["ID"] = identifier
    return party


def _measure(value: str | None, unit: str) -> dict | None:
    if value is None:
        return None
    return {"value": value, "unitCode": "KGM" if unit == "kg" else "TNE"}


def _process(treatment: dict) -> dict:
    characteristics = [{"Description": label, "Value": treatment[key]} for label, key in (
        ("chemical", "active_substance"), ("concentration", "concentration"),
        ("temperature_celsius", "temperature"), ("duration", "duration"))
        if treatment.get(key)]
    return {"TypeCode": treatment["type"], "Name": _names(treatment["name"]),
            "CompletionSPSPeriod": {"StartDateTime": treatment["date"]},
            "ApplicableSPSProcessCharacteristic": characteristics}


def _trade_line(index: int, lot: dict, context: dict) -> dict:
    line = {
        "SequenceNumeric": index, "Description": _names(lot["product"]),
        "CommonName": lot["product"].get("en", ""),
        "NetWeightMeasure": _measure(lot["net_weight"], lot["unit"]),
        "GrossWeightMeasure": _measure(lot["gross_weight"], lot["unit"]),
        "ApplicableSPSClassification": [{"SystemName": "HS", "ClassCode": lot["hs_code"]}],
        "PhysicalSPSPackage": {"TypeCode": lot["packages_kind"],
                               "ItemQuantity": lot["packages_number"]},
        "OriginSPSCountry": {"ID": "KZ", "SubordinateSPSCountrySubDivision": {
            "ID": context["origin"]["region_code"],
            "Name": _names(context["origin"]["region"])}},
        "AppliedSPSProcess": [_process(t) for t in context["treatments"]],
        "PhysicalSPSShippingMarks": {"Marking": lot["marks"]},
    }
    if lot.get("botanical_name"):
        line["ScientificName"] = lot["botanical_name"]
    return line


def _document(context: dict) -> dict:
    document = {
        "ID": context["number"], "TypeCode": DOCUMENT_TYPE_CODES[context["kind"]],
        "Name": "Phytosanitary certificate" if context["kind"] == "phyto"
        else "Veterinary certificate",
        "IssueDateTime": context["issued_on"],
        "IssuerSPSParty": {"Name": context["authority"]["name"].get("en", "")},
        "IncludedSPSNote": [{"Subject": "additional_declaration"
                             if context["kind"] == "phyto" else "attestation",
                             "Content": _names(d["text"])} for d in context["declarations"]],
        "SignatorySPSAuthentication": {
            "ActualDateTime": context["issued_on"],
            "IssueSPSLocation": {"Name": _names(context["place_of_issue"])},
            "ProviderSPSParty": {"Name": context["authority"]["name"].get("en", ""),
                                 "SpecifiedSPSPerson": {"Name": context["officer"]["name"]}}},
        "ReferenceSPSReferencedDocument": [{"ID": context["verification_url"],
                                            "TypeCode": "verification"}],
    }
    if context.get("replaces"):
        document["ReferenceSPSReferencedDocument"].append(
            {"ID": context["replaces"], "TypeCode": "replaced_certificate"})
    return document


def _consignment_item(context: dict, totals: dict | None) -> dict:
    """The consignment's goods: its lines, then the totals the certificate prints under them
    (weights in the unit printed, packages per kind)."""
    item = {"NatureIdentificationSPSCargo": {"TypeCode": context["category"]["code"]},
            "IncludedSPSTradeLineItem": [_trade_line(i, lot, context)
                                         for i, lot in enumerate(context["lots"], start=1)]}
    if totals is not None:
        item["NetWeightMeasure"] = _measure(totals["net_weight"], totals["unit"])
        item["GrossWeightMeasure"] = _measure(totals["gross_weight"], totals["unit"])
        item["PhysicalSPSPackage"] = [{"TypeCode": package["kind"],
                                       "ItemQuantity": package["number"]}
                                      for package in totals["packages"]]
    return item


def sps_certificate(context: dict, totals: dict | None) -> dict:
    """Take a consignment certificate's plain context and the totals of its lots, as the
    certificate prints them (pdf.consignment.lot_totals); return its SPSCertificate object.

    Dates stay date objects (the caller serialises them as ISO strings). Changes nothing.
    """
    establishment = context["establishment"]
    consignment = {
        "ConsignorSPSParty": _party(context["exporter"]["name"], context["exporter"]["address"],
                                    context["exporter"]["bin"]),
        "ConsigneeSPSParty": _party(context["consignee"]["name"],
                                    context["consignee"]["address"]),
        "ExportSPSCountry": {"ID": "KZ", "Name": _names(context["export_country"])},
        "ImportSPSCountry": {"ID": "CN", "Name": _names(context["import_country"])},
        "UnloadingBaseportSPSLocation": {"ID": context["point_of_entry"]["code"],
                                         "Name": _names(context["point_of_entry"]["name"])},
        "MainCarriageSPSTransportMovement": {
            "ModeCode": mode_code(context),
            "UsedSPSTransportMeans": {"Name": context["conveyance"]["name"].get("en", "")}},
        "ExaminationSPSEvent": {"OccurrenceSPSLocation": {"Name": context["inspection"]["place"]},
                                "OccurrenceDateTime": context["inspection"]["date"]},
        "IncludedSPSConsignmentItem": [_consignment_item(context, totals)],
        "ProcessingSPSParty": {"Name": establishment["name"],
                               "SpecifiedSPSAddress": {"LineOne": establishment["address"]},
                               "ApprovalNumber": establishment["china_registration_number"]},
    }
    if context["kind"] == "vet":
        consignment["ProductionSPSPeriod"] = {"StartDateTime": context["production"]["from"],
                                              "EndDateTime": context["production"]["to"]}
        consignment["StorageTemperatureCelsius"] = context["storage_temperature"]
    return {"SPSCertificate": {"SPSExchangedDocument": _document(context),
                               "SPSConsignment": consignment}}
