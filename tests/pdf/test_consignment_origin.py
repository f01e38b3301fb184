"""The zone of origin on a veterinary certificate, as the border reads it (pdftotext): the place
the exporter gave, then the region in Chinese first, joined as Chinese text is."""

import subprocess

from certtrack.services.consignments import issue, status
from certtrack.services.issued_files import pdf_bytes

from consignment_factories import inspect_ready, make_consignment


def test_the_place_of_origin_joins_the_regions_chinese_name_with_a_chinese_comma(ctx):
    _exporter, inspector, _registration, consignment = make_consignment("vet")
    inspect_ready(inspector, consignment)
    certificate = issue.issue_consignment_certificate(inspector, consignment)
    content = pdf_bytes(status.stored_pdf(certificate))
    text = "".join(subprocess.run(["pdftotext", "-", "-"], input=content, check=True,
                                  capture_output=True).stdout.decode().split())
    assert "Kokshetaudistrict，阿克莫拉州/AkmolaRegion" in text
    assert "district,阿克莫拉州" not in text
