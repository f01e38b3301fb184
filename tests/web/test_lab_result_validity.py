"""How long a laboratory result counts: "valid for 30 days" counts the test day as the first
(docs/domain.md §5: one month), and every page names the same last valid day."""

from datetime import timedelta

from flask import g
from test_laboratory_pages import (  # noqa: F401
    CONFIRMED,
    DON,
    WHEAT_REQUIRED,
    enter_result,
    take_sample,
    text_of,
    world,
)

from certtrack.extensions import db
from certtrack.services.applications import local_today

from forms import post


def _chinese(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _results_with_don_tested(world, days_ago: int) -> None:  # noqa: F811
    sample = take_sample(world)
    post(world.client, world.base + "/send-to-lab", CONFIRMED)
    for parameter, (value, unit, detected) in WHEAT_REQUIRED.items():
        extra = {}
        if parameter == DON:
            extra = {"tested_on": (local_today() - timedelta(days=days_ago)).isoformat(),
                     "valid_days": "30"}
        assert enter_result(world, sample, parameter, value, unit, detected,
                            **extra).status_code == 302
    post(world.client, world.base + "/lab-results-complete", CONFIRMED)


def test_a_result_valid_for_30_days_counts_its_test_day_as_the_first(world):  # noqa: F811
    _results_with_don_tested(world, days_ago=30)
    last_day = local_today() - timedelta(days=1)  # tested 30 days ago: the 30th day was yesterday
    world.inspector.locale = "zh"
    db.session.commit()
    g.pop("_flask_babel", None)  # the test's application context outlives the requests
    page = " ".join(text_of(world.client.get(world.base)).split())
    assert f"{_chinese(last_day)} — 已过期" in page
    assert f"检测结果已过期（有效期至{_chinese(last_day)}），不予采信。" in page
    assert _chinese(local_today()) + " — " not in page


def test_a_result_counts_on_the_last_of_its_days(world):  # noqa: F811
    _results_with_don_tested(world, days_ago=29)
    page = text_of(world.client.get(world.base))
    assert "expired, does not count" not in page
