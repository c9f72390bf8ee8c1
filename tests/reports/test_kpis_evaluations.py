"""The firms' evaluation scores on the firm scorecard: averages of the four criteria of the
evaluations made in the period, and their count, per firm. Expected values computed by hand
from the evaluations created here (on top of `book`'s matters), on SQLite and PostgreSQL."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from python_calamine import CalamineWorkbook
from tests.reports.dataset import D, at
from tests.reports.views_dataset import page_view

from legalops.reports.registry import Filters, kpi_by, kpi_values
from legalops.vendors.models import FirmEvaluation

Q1 = Filters(date_from=D(2026, 1, 1), date_to=D(2026, 3, 31))


@pytest.fixture
def evaluations(book: Any, firm_a: Any, firm_b: Any) -> None:
    """quality, responsiveness, budget accuracy, value:
    E1 firm A, firm-wide, 2026-02-10: 5 4 3 4 (16)
    E2 firm A, on M-1 (the attorney's), 2026-03-05: 3 3 2 4 (12)
    E3 firm B, on M-2, 2026-01-20: 4 5 5 5 (19)
    E4 firm B, firm-wide, 2025-12-15: 1 1 1 1 (before the period)"""
    for firm, matter, day, scores in (
        (firm_a, None, D(2026, 2, 10), (5, 4, 3, 4)),
        (firm_a, book["m1"], D(2026, 3, 5), (3, 3, 2, 4)),
        (firm_b, book["m2"], D(2026, 1, 20), (4, 5, 5, 5)),
        (firm_b, None, D(2025, 12, 15), (1, 1, 1, 1)),
    ):
        quality, responsiveness, budget_accuracy, value = scores
        FirmEvaluation.objects.create(
            firm=firm,
            matter=matter,
            period="2026",
            quality=quality,
            responsiveness=responsiveness,
            budget_accuracy=budget_accuracy,
            value=value,
            evaluated_at=at(day, 12),
        )


def test_evaluation_scores_in_the_period(evaluations: Any, admin: Any):
    v = kpi_values(admin, Q1)
    assert v["evaluation_count"] == 3  # E4 is before the period
    assert v["evaluation_score"] == Decimal("3.9167")  # (16 + 12 + 19) / 12
    assert v["evaluation_quality"] == Decimal("4")  # (5 + 3 + 4) / 3
    assert v["evaluation_budget_accuracy"] == Decimal("3.3333")  # (3 + 2 + 5) / 3
    everything = kpi_values(admin, Filters())
    assert everything["evaluation_count"] == 4
    assert everything["evaluation_score"] == Decimal("3.1875")  # 51 / 16


def test_evaluation_scores_by_firm(evaluations: Any, admin: Any, firm_a: Any, firm_b: Any):
    score = {r.key: r.value for r in kpi_by(admin, Q1, "evaluation_score", "firm")}
    assert score == {firm_a.pk: Decimal("3.5"), firm_b.pk: Decimal("4.75")}  # 28/8, 19/4
    count = {r.label: r.value for r in kpi_by(admin, Q1, "evaluation_count", "firm")}
    assert count == {firm_a.name: 2, firm_b.name: 1}
    only_b = kpi_values(admin, Filters(date_from=D(2026, 1, 1), firm_ids=(firm_b.pk,)))
    assert (only_b["evaluation_count"], only_b["evaluation_value"]) == (1, Decimal("5"))


def test_matter_filters_and_scope_apply_to_matter_evaluations(
    evaluations: Any, admin: Any, attorney: Any, book: Any
):
    # the attorney leads M-1: its evaluation E2 and the firm-wide E1, not E3 on M-2
    mine = kpi_values(attorney, Q1)
    assert (mine["evaluation_count"], mine["evaluation_score"]) == (2, Decimal("3.5"))
    # a practice-area filter keeps only evaluations on its matters: E2 (Litigation)
    area = Filters(date_from=D(2026, 1, 1), practice_area_ids=(book["m1"].practice_area_id,))
    litigation = kpi_values(admin, area)
    assert (litigation["evaluation_count"], litigation["evaluation_score"]) == (1, Decimal("3"))


def test_no_evaluations_give_no_score(book: Any, admin: Any, personas: Any):
    v = kpi_values(admin, Q1)
    assert (v["evaluation_count"], v["evaluation_score"]) == (0, None)
    with pytest.raises(PermissionDenied):
        kpi_values(personas["requester"], Q1)


def test_the_firm_scorecard_shows_evaluations_by_firm_and_exports_them(
    client: Any, admin: Any, evaluations: Any, firm_a: Any
):
    client.force_login(admin)
    params = {"period": "custom", "from": "2026-01-01", "to": "2026-03-31"}
    view = page_view(client, "/insight/firms/", "evaluations-by-firm")
    rows = {row[0]: row[1:] for row in view["table"].rows}
    # firm A: quality (5+3)/2, responsiveness (4+3)/2, budget accuracy (3+2)/2, value (4+4)/2
    assert rows[firm_a.name] == (
        Decimal("3.5"),
        Decimal("4"),
        Decimal("3.5"),
        Decimal("2.5"),
        Decimal("4"),
        2,
    )
    assert f"d_firm={firm_a.pk}" in view["rows"][0]["link"]
    data = client.get("/insight/firms/export.xlsx", params).content
    sheet = (
        CalamineWorkbook.from_filelike(io.BytesIO(data))
        .get_sheet_by_name("Evaluations by firm")
        .to_python()
    )
    row = next(r for r in sheet if r and r[0] == firm_a.name)
    assert row[1:7] == [3.5, 4.0, 3.5, 2.5, 4.0, 2.0]
