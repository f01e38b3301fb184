"""A consignment certificate's totals: the quantities and packages its PDF prints under the
lots are stated in its data too (the JSON download and the file embedded in the PDF), from the
same sums, and the data still validates against the published schema."""

import io
import json
import subprocess
from decimal import Decimal
from pathlib import Path

import jsonschema
from pypdf import PdfReader

from certtrack.extensions import db
from certtrack.models import ConsignmentCertificate
from certtrack.services.consignments import drafts, issue, status
from certtrack.services.consignments.inputs import LotInput
from certtrack.services.issued_files import pdf_bytes

from consignment_factories import inspect_ready, make_consignment
from forms import login

SCHEMA = json.loads((Path(__file__).resolve().parents[2] / "docs" / "schemas" /
                     "consignment-certificate.schema.json").read_text(encoding="utf-8"))
# Beside the factory's 65.5 t of wheat in bulk: 900 kg more in 30 bags, then 600 kg in 20.
BAGS = (LotInput(product_code="wheat", net_weight=Decimal("900"), gross_weight=Decimal("950"),
                 weight_unit="kg", packages_number=30, packages_kind="bags",
                 marks="Wagon 95123469, seal KZ 778813"),
        LotInput(product_code="wheat", net_weight=Decimal("600"), gross_weight=Decimal("630"),
                 weight_unit="kg", packages_number=20, packages_kind="bags",
                 marks="Wagon 95123477, seal KZ 778814"))


def _issued_with_two_kinds_of_packages():
    exporter, inspector, _registration, consignment = make_consignment("phyto", submit=False)
    for lot in BAGS:
        drafts.add_lot(exporter, consignment, lot)
    drafts.submit_consignment(exporter, consignment)
    inspect_ready(inspector, consignment)
    return exporter, issue.issue_consignment_certificate(inspector, consignment)


def test_the_certificates_data_states_the_totals_its_pdf_prints(ctx, client):
    exporter, certificate = _issued_with_two_kinds_of_packages()
    login(client, exporter.email)
    download = client.get(f"/consignment-certificates/{certificate.id}.json")
    assert download.status_code == 200
    data = download.get_json()
    item = data["SPSCertificate"]["SPSConsignment"]["IncludedSPSConsignmentItem"][0]
    # 65.5 t beside 1 500 kg: totalled in kilograms, as the certificate prints them.
    assert item["NetWeightMeasure"] == {"value": "67000", "unitCode": "KGM"}
    assert item["GrossWeightMeasure"] == {"value": "67280", "unitCode": "KGM"}
    assert item["PhysicalSPSPackage"] == [{"TypeCode": "bulk", "ItemQuantity": 1},
                                          {"TypeCode": "bags", "ItemQuantity": 50}]
    jsonschema.validate(data, SCHEMA)

    content = pdf_bytes(status.stored_pdf(db.session.get(ConsignmentCertificate,
                                                         certificate.id)))
    (embedded,) = PdfReader(io.BytesIO(content)).attachments["certificate.json"]
    assert json.loads(embedded) == data
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=content, check=True,
                          capture_output=True).stdout.decode()
    (total,) = [line for line in text.splitlines() if "Total" in line and "合计" in line]
    assert "67 000 kg" in total and "67 280 kg" in total
    assert "1 lot in bulk" in total and "50 bags" in total
