"""The dossier's laboratory results, each under the sample it was measured on and the
laboratory that sample was sent to (pdftotext)."""

from datetime import date

from test_dossier_content import _batch_text, _positive, flat, registrar  # noqa: F401

from certtrack.extensions import db
from certtrack.models import LabLimit, LabResult, Sample
from certtrack.models.base import utcnow


def _sample(application, code: str, laboratory: str) -> Sample:
    sample = Sample(application_id=application.id, code=code, product_code="wheat",
                    taken_on=date(2026, 2, 11), matrix="wheat grain", laboratory=laboratory)
    db.session.add(sample)
    db.session.flush()
    return sample


def _result(application, sample: Sample, code: str, value: float, unit: str,
            tested_on: date) -> None:
    limit = db.session.query(LabLimit).filter(LabLimit.parameter_code == code).first()
    db.session.add(LabResult(sample_id=sample.id, application_id=application.id,
                             limit_id=limit.id, parameter=limit.parameter, value=value, unit=unit,
                             tested_on=tested_on, verdict="compliant",
                             limit_source=limit.source, recorded_at=utcnow()))


def test_each_result_is_printed_under_its_own_sample_and_laboratory(registrar):  # noqa: F811
    application = _positive("Steppe Grain LLP")
    first = _sample(application, "S-11-001", "Astana grain testing laboratory")
    second = _sample(application, "S-11-002", "ҰРЗ Көкшетау зертханасы")
    _result(application, first, "lead", 0.04, "mg/kg", date(2026, 2, 18))
    _result(application, second, "aflatoxin_b1", 1.2, "µg/kg", date(2026, 2, 20))
    db.session.commit()
    text, _content = _batch_text(registrar, [application], "KZ-GACC-2026-31")
    results = flat(text[text.index("S-11-001"):])
    first_block = results[:results.index("S-11-002")]
    second_block = results[results.index("S-11-002"):]
    assert flat("Laboratory · 实验室 Astana grain testing laboratory") in first_block
    assert flat("Tested · 检测日期 18.02.2026") in first_block
    assert "lead" in first_block.lower() and "aflatoxin" not in first_block.lower()
    assert flat("Laboratory · 实验室 ҰРЗ Көкшетау зертханасы") in second_block
    assert flat("Tested · 检测日期 20.02.2026") in second_block
    assert "aflatoxin" in second_block.lower()
