"""`legalops kpi` and `GET /api/v1/kpis`: the same object, bad input refused with exit 2 /
422, and only staff with reports access get numbers (attorneys: their matters)."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.management import CommandError, call_command

REQUIRED = {
    "total_billed",
    "total_approved",
    "total_adjustments",
    "review_savings_rate",
    "net_savings_rate",
    "fees_billed",
    "expenses_billed",
    "hours_billed",
    "blended_rate",
    "invoice_count",
    "line_count",
    "staffing_mix",
    "invoice_cycle_time_days_median",
    "active_firms",
    "top5_firms_share",
}


def kpi(*args: str) -> str:
    out = io.StringIO()
    call_command("kpi", *args, stdout=out)
    return out.getvalue()


def test_json_has_the_contract_keys(book: Any) -> None:
    report = json.loads(
        kpi("--from", "2026-01-01", "--to", "2026-03-31", "--json", "--by", "month")
    )
    assert set(report) == {"period", "currency", "kpis", "groups"}
    assert set(report["kpis"]) >= REQUIRED
    assert set(report["kpis"]["staffing_mix"]) == {
        "partner",
        "counsel",
        "associate",
        "paralegal",
        "other",
    }
    assert report["kpis"]["total_billed"] == "3800.00"
    assert [g["key"] for g in report["groups"]] == ["2026-01", "2026-02", "2026-03"]
    assert report["groups"][1]["kpis"]["total_billed"] == "1700.00"  # 1200.00 + 500.00


def test_without_dates_the_period_is_the_data(book: Any) -> None:
    report = json.loads(kpi("--json"))
    assert report["period"] == {"from": "2026-01-01", "to": "2026-03-31"}


def test_human_output(book: Any) -> None:
    text = kpi("--from", "2026-01-01", "--to", "2026-03-31")
    assert "Total billed" in text and "USD 3800.00" in text
    assert "Review savings rate (gross)" in text and "16.97 %" in text
    assert "Not available yet:" in text and "Total legal spend" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--from", "2026-03-01", "--to", "2026-02-01"), "is after"),
        (("--from", "2026-02-30"), "--from: '2026-02-30' is not a date"),
        (("--to", "tomorrow"), "--to: 'tomorrow' is not a date"),
    ],
)
def test_bad_dates_exit_2(db: None, args: tuple[str, ...], message: str) -> None:
    with pytest.raises(CommandError, match=message) as caught:
        kpi(*args)
    assert caught.value.returncode == 2


def get(client: Any, token: str, query: str = "") -> Any:
    return client.get(f"/api/v1/kpis{query}", headers={"authorization": f"Bearer {token}"})


def test_api_returns_the_cli_object(book: Any, client: Any, admin: Any, api_token: Any) -> None:
    query = "?from=2026-01-01&to=2026-03-31&by=firm"
    response = get(client, api_token(admin), query)
    assert response.status_code == 200
    cli = json.loads(kpi("--from", "2026-01-01", "--to", "2026-03-31", "--by", "firm", "--json"))
    assert response.json() == cli


def test_api_scopes_and_refuses(
    book: Any,
    client: Any,
    personas: Any,
    api_token: Any,
) -> None:
    mine = get(client, api_token(personas["attorney"]), "?from=2026-01-01&to=2026-03-31")
    assert mine.json()["kpis"]["total_billed"] == "2600.00"  # M1 only: 2100.00 + 500.00
    for role in ("requester", "firm_a", "firm_b"):
        assert get(client, api_token(personas[role])).status_code == 403, role
    bad = get(client, api_token(personas["admin"]), "?from=2026-03-01&to=2026-01-01")
    assert bad.status_code == 422 and "is after" in bad.json()["detail"]
    assert client.get("/api/v1/kpis").status_code == 401
