"""Backtests over the web UI and the API: only legal ops admins (MANAGE_GUIDELINES); the pages,
the htmx progress, the drill-down and the Excel file; bad input named by field."""

from __future__ import annotations

import datetime
import io

import pytest
from python_calamine import CalamineWorkbook

from legalops.backtests import services
from legalops.backtests.models import Backtest

NOVEMBER = {"period_from": "2026-11-01", "period_to": "2026-11-30"}
OTHERS = ["attorney", "approver", "requester", "firm_a", "firm_b"]


def auth(token):
    return {"authorization": f"Bearer {token}"}


def api_post(client, token, body):
    return client.post(
        "/api/v1/backtests", body, content_type="application/json", headers=auth(token)
    )


@pytest.fixture
def done(history, versions, admin):
    backtest = services.backtest_create(
        actor=admin,
        version=versions["draft"],
        period_from=datetime.date(2026, 11, 1),
        period_to=datetime.date(2026, 11, 30),
    )
    backtest.refresh_from_db()
    assert backtest.status == "done", backtest.error
    return backtest


def test_api_create_status_and_result(client, api_token, admin, history, versions):
    token = api_token(admin)
    response = api_post(client, token, {"guidelines_version_id": versions["draft"].pk, **NOVEMBER})
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["status"] == "done"  # the test task backend runs it at once
    status = client.get(f"/api/v1/backtests/{created['id']}", headers=auth(token)).json()
    assert (status["invoices_done"], status["invoices_total"], status["percent"]) == (3, 3, 100)
    result = client.get(f"/api/v1/backtests/{created['id']}/result", headers=auth(token)).json()
    [total] = result["totals"]
    assert (total["saved"], total["actual_saved"], total["difference"]) == (
        "400.00",
        "1100.00",
        "-700.00",
    )
    rules = {row["rule"]: row for row in result["by_rule"]}
    assert rules["block-billing"]["would_save"] == "400.00"
    assert rules["block-billing"]["used_would_save"] == "1000.00"
    listed = client.get("/api/v1/backtests", headers=auth(token)).json()
    assert listed["count"] == 1


@pytest.fixture
def queued(versions, admin):
    """A backtest not run (permission tests need one, not its report)."""
    return services.backtest_create(
        actor=admin,
        version=versions["draft"],
        period_from=datetime.date(2026, 11, 1),
        period_to=datetime.date(2026, 11, 30),
        enqueue=False,
    )


@pytest.mark.parametrize("who", OTHERS)
def test_api_refuses_everyone_but_admins(client, api_token, personas, versions, queued, who):
    done = queued
    token = api_token(personas[who])
    body = {"guidelines_version_id": versions["draft"].pk, **NOVEMBER}
    assert api_post(client, token, body).status_code == 403
    assert client.get(f"/api/v1/backtests/{done.pk}", headers=auth(token)).status_code == 403
    result = client.get(f"/api/v1/backtests/{done.pk}/result", headers=auth(token))
    assert result.status_code == 403
    assert Backtest.objects.count() == 1


def test_api_bad_input_names_the_field(client, api_token, admin, versions):
    token = api_token(admin)
    reversed_period = {"period_from": "2026-11-30", "period_to": "2026-11-01"}
    response = api_post(
        client, token, {"guidelines_version_id": versions["draft"].pk, **reversed_period}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "period_to"]
    response = api_post(client, token, {"guidelines_version_id": 999999, **NOVEMBER})
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "guidelines_version_id"]
    response = api_post(client, token, {"guidelines_version_id": versions["draft"].pk})
    assert response.status_code == 422
    assert Backtest.objects.count() == 0
    missing = client.get("/api/v1/backtests/999999", headers=auth(token))
    assert missing.status_code == 404


def test_result_of_an_unfinished_backtest_is_a_conflict(client, api_token, admin, versions):
    backtest = services.backtest_create(
        actor=admin,
        version=versions["draft"],
        period_from=datetime.date(2026, 11, 1),
        period_to=datetime.date(2026, 11, 30),
        enqueue=False,
    )
    response = client.get(f"/api/v1/backtests/{backtest.pk}/result", headers=auth(api_token(admin)))
    assert response.status_code == 409


def test_the_pages_for_an_admin(signed_in, admin, versions, history):
    client = signed_in(admin)
    page = client.get(f"/spend/backtests/new/?version={versions['draft'].pk}")
    assert page.status_code == 200
    assert f'<option value="{versions["draft"].pk}" selected' in page.content.decode()
    response = client.post(
        "/spend/backtests/new/",
        {"version": versions["draft"].pk, **NOVEMBER, "firm": "", "matter": ""},
    )
    backtest = Backtest.objects.get()
    assert response.status_code == 302 and response.url == f"/spend/backtests/{backtest.pk}/"
    report = client.get(response.url).content.decode()
    assert "block-billing" in report and "400.00 USD" in report
    assert "1,100.00 USD" in report  # the actual savings, exact
    drill = client.get(f"/spend/backtests/{backtest.pk}/invoices/?rule=block-billing")
    text = drill.content.decode()
    assert "INV-5" in text and "INV-6" not in text
    listing = client.get("/spend/backtests/").content.decode()
    assert versions["draft"].version in listing


def test_new_backtest_form_shows_a_reversed_period(signed_in, admin, versions):
    client = signed_in(admin)
    body = {"version": versions["draft"].pk, "period_from": "2026-11-30", "period_to": "2026-11-01"}
    response = client.post("/spend/backtests/new/", body)
    assert response.status_code == 200
    assert "ends (2026-11-01) before it starts" in response.content.decode()
    assert Backtest.objects.count() == 0


@pytest.mark.parametrize("who", OTHERS)
def test_the_pages_refuse_everyone_but_admins(signed_in, personas, queued, who):
    done = queued
    client = signed_in(personas[who])
    for path in ("", "new/", f"{done.pk}/", f"{done.pk}/invoices/", f"{done.pk}/report.xlsx"):
        response = client.get(f"/spend/backtests/{path}")
        # firm users are sent to their portal, staff get a 403
        assert response.status_code in (302, 403), path
        if response.status_code == 302:
            assert response.url.startswith("/portal")


def test_progress_polls_until_done(signed_in, admin, versions, history):
    backtest = services.backtest_create(
        actor=admin,
        version=versions["draft"],
        period_from=datetime.date(2026, 11, 1),
        period_to=datetime.date(2026, 11, 30),
        enqueue=False,
    )
    client = signed_in(admin)
    page = client.get(f"/spend/backtests/{backtest.pk}/").content.decode()
    assert "Queued" in page and 'hx-trigger="every 1s"' in page
    seen = []
    services.backtest_run(
        backtest=backtest, progress=lambda done, total: seen.append((done, total))
    )
    assert seen[-1] == (3, 3)
    poll = client.get(f"/spend/backtests/{backtest.pk}/progress/", headers={"HX-Request": "true"})
    assert poll.status_code == 200 and poll["HX-Refresh"] == "true"


def test_excel_report(signed_in, admin, done):
    response = signed_in(admin).get(f"/spend/backtests/{done.pk}/report.xlsx")
    assert response.status_code == 200
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    assert book.sheet_names == ["Summary", "By rule", "By firm", "By matter", "Invoices"]
    rules = book.get_sheet_by_name("By rule").to_python()
    header = rules[0]
    block = next(row for row in rules if row[0] == "block-billing")
    assert block[header.index("Would save")] == 400
    assert block[header.index("Proposed (version used)")] == 1000
    invoices = book.get_sheet_by_name("Invoices").to_python()
    assert sorted(row[0] for row in invoices[1:]) == ["B-1", "INV-5", "INV-6"]
