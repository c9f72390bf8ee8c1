"""The vendors and matters API: scoped lists with {"items", "count"}, writes through services."""

import datetime
from decimal import Decimal

import pytest
from tests.factories import MatterFactory, TimekeeperFactory, UserFactory

from legalops.matters import accruals, budgets
from legalops.vendors import services


def get(client, path, token, **params):
    return client.get(f"/api/v1{path}", params, headers={"authorization": f"Bearer {token}"})


def send(client, method, path, token, body):
    return getattr(client, method)(
        f"/api/v1{path}",
        body,
        content_type="application/json",
        headers={"authorization": f"Bearer {token}"},
    )


@pytest.fixture
def world(admin, attorney, firm_a, firm_b, firm_a_user):
    keeper = TimekeeperFactory(
        firm=firm_a, timekeeper_id="A-TK", name="Able, Ann", classification="PARTNR"
    )
    services.rate_create(
        actor=admin,
        firm=firm_a,
        timekeeper=keeper,
        rate=Decimal("900.5"),
        effective_from=datetime.date(2026, 1, 1),
    )
    matter = MatterFactory(
        number="M-A", firms=[firm_a, firm_b], exposure_minor=5_000_000, notes="settle below 40k"
    )
    secret = MatterFactory(number="M-SECRET", confidential=True, firms=[firm_a])
    secret.team.add(attorney)
    budgets.budget_submit(
        actor=admin,
        matter=matter,
        firm=firm_a,
        fiscal_year=2026,
        amounts={"": Decimal("1000")},
        approve=True,
    )
    period = accruals.accrual_period_open(actor=admin, month=datetime.date(2026, 7, 1))
    accruals.accrual_report(
        actor=firm_a_user, period=period, matter=matter, firm=firm_a, current=Decimal("10")
    )
    return {"keeper": keeper, "matter": matter, "secret": secret}


def test_firm_b_sees_none_of_firm_a_through_the_api(client, api_token, world, firm_b_user):
    token = api_token(firm_b_user)
    assert get(client, "/timekeepers", token).json() == {"items": [], "count": 0}
    assert get(client, "/rates", token).json() == {"items": [], "count": 0}
    assert get(client, "/budgets", token).json() == {"items": [], "count": 0}
    assert get(client, "/accruals", token).json() == {"items": [], "count": 0}
    assert get(client, "/evaluations", token).json() == {"items": [], "count": 0}
    assert get(client, f"/timekeepers/{world['keeper'].pk}", token).status_code == 404
    matters = get(client, "/matters", token).json()
    assert [m["number"] for m in matters["items"]] == ["M-A"]  # assigned to both firms
    [only] = matters["items"]
    assert [f["law_firm_id"] for f in only["firms"]] == ["94-7654321"]  # not firm A's terms
    assert only["exposure"] is None and only["notes"] is None
    assert get(client, f"/matters/{world['secret'].pk}", token).status_code == 404


def test_firm_b_cannot_write_firm_a_data(client, api_token, world, firm_a, firm_b_user):
    token = api_token(firm_b_user)
    body = {"firm_id": firm_a.pk, "timekeeper_id": "X", "name": "X", "classification": "ASSOC"}
    assert send(client, "post", "/timekeepers", token, body).status_code == 404
    patch = send(client, "patch", f"/timekeepers/{world['keeper'].pk}", token, {"name": "Hacked"})
    assert patch.status_code == 404
    budget = {
        "matter_id": world["matter"].pk,
        "firm_id": firm_a.pk,
        "fiscal_year": 2026,
        "amounts": {"": "1"},
    }
    assert send(client, "post", "/budgets", token, budget).status_code == 404
    accrual = {
        "period": "2026-07",
        "matter_id": world["matter"].pk,
        "firm_id": firm_a.pk,
        "current": "1",
    }
    assert send(client, "post", "/accruals", token, accrual).status_code == 404


def test_firm_a_sees_its_own_rows(client, api_token, world, firm_a_user):
    token = api_token(firm_a_user)
    rates = get(client, "/rates", token).json()
    assert rates["count"] == 1
    assert rates["items"][0] | {"id": 0, "approved_at": ""} == {
        "id": 0,
        "law_firm_id": "36-1234567",
        "timekeeper_id": "A-TK",
        "timekeeper_name": "Able, Ann",
        "classification": "PARTNR",
        "rate": "900.5000",
        "currency": "USD",
        "effective_from": "2026-01-01",
        "effective_to": None,
        "client_matter_id": "",
        "source": "manual",
        "approved_by": "ops",
        "approved_at": "",
    }
    assert [m["number"] for m in get(client, "/matters", token).json()["items"]] == [
        "M-A",
        "M-SECRET",
    ]
    assert get(client, "/accruals", token).json()["items"][0]["current"] == "10.00"


def test_confidential_matters_and_internal_fields_for_staff(
    client, api_token, world, attorney, admin
):
    outsider = UserFactory(role="attorney")
    assert [m["number"] for m in get(client, "/matters", api_token(outsider)).json()["items"]] == [
        "M-A"
    ]
    assert get(client, f"/matters/{world['secret'].pk}", api_token(outsider)).status_code == 404
    mine = get(client, "/matters", api_token(attorney)).json()
    assert mine["count"] == 2
    detail = get(client, f"/matters/{world['matter'].pk}", api_token(admin)).json()
    assert detail["exposure"] == "50000.00" and detail["notes"] == "settle below 40k"


def test_requesters_get_no_matters(client, api_token, world, requester):
    assert get(client, "/matters", api_token(requester)).json() == {"items": [], "count": 0}


def test_lists_paginate(client, api_token, world, admin):
    token = api_token(admin)
    first = get(client, "/matters", token, limit=1).json()
    second = get(client, "/matters", token, limit=1, offset=1).json()
    assert first["count"] == second["count"] == 2
    assert first["items"][0]["number"] != second["items"][0]["number"]


def test_create_and_update_through_services(client, api_token, admin, attorney, firm_a, world):
    token = api_token(admin)
    created = send(
        client,
        "post",
        "/matters",
        token,
        {
            "number": "NEW-1",
            "name": "New",
            "matter_type": "advisory",
            "opened_on": "2026-03-01",
            "lead_attorney": attorney.username,
        },
    )
    assert created.status_code == 201 and created.json()["lead_attorney"] == attorney.username
    bad = send(
        client,
        "post",
        "/matters",
        token,
        {
            "number": "NEW-1",
            "name": "dup",
            "matter_type": "advisory",
            "opened_on": "2026-03-01",
        },
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["loc"] == ["body", "number"]
    patched = send(client, "patch", f"/firms/{firm_a.pk}", token, {"rate_notice_days": 90})
    assert patched.json()["rate_notice_days"] == 90
    rate = send(
        client,
        "post",
        "/rates",
        token,
        {
            "firm_id": firm_a.pk,
            "classification": "ASSOC",
            "rate": "500",
            "effective_from": "2026-01-01",
        },
    )
    assert rate.status_code == 201 and rate.json()["classification"] == "ASSOC"
    overlap = send(
        client,
        "post",
        "/rates",
        token,
        {
            "firm_id": firm_a.pk,
            "classification": "ASSOC",
            "rate": "510",
            "effective_from": "2026-06-01",
        },
    )
    assert overlap.status_code == 422


def test_firm_submits_a_budget_and_cannot_approve_it(client, api_token, world, firm_a, firm_a_user):
    token = api_token(firm_a_user)
    body = {
        "matter_id": world["matter"].pk,
        "firm_id": firm_a.pk,
        "fiscal_year": 2027,
        "amounts": {"L100": "250.50"},
    }
    created = send(client, "post", "/budgets", token, body)
    assert created.status_code == 201 and created.json()["pending_versions"] == 1
    assert send(client, "post", "/budgets", token, body | {"approve": True}).status_code == 403


def test_a_firm_files_a_rate_request_and_answers_a_counter_offer(
    client, api_token, world, firm_a, firm_a_user, firm_b_user, admin
):
    token = api_token(firm_a_user)
    body = {
        "firm_id": firm_a.pk,
        "fiscal_year": 2027,
        "submit": True,
        "lines": [
            {"timekeeper_id": world["keeper"].pk, "requested_rate": "990", "firm_comment": "x"}
        ],
    }
    created = send(client, "post", "/rate-requests", token, body)
    assert created.status_code == 201, created.json()
    request = created.json()
    assert request["status"] == "submitted" and request["lines"][0]["prior_rate"] == "900.5000"
    line_pk = request["lines"][0]["id"]
    decided = send(
        client,
        "post",
        f"/rate-requests/lines/{line_pk}/decision",
        api_token(admin),
        {"decision": "counter", "counter_rate": "940"},
    )
    assert decided.json()["status"] == "countered"
    other = send(
        client,
        "post",
        f"/rate-requests/lines/{line_pk}/answer",
        api_token(firm_b_user),
        {"accept": True},
    )
    assert other.status_code == 404
    answered = send(
        client, "post", f"/rate-requests/lines/{line_pk}/answer", token, {"accept": True}
    )
    assert answered.json()["approved_rate"] == "940.0000"
    bad = send(
        client,
        "post",
        "/rate-requests",
        token,
        body | {"lines": [{"classification": "BOSS", "requested_rate": "1"}]},
    )
    assert bad.status_code == 422


def test_evaluations_and_forecasts(client, api_token, world, firm_a, attorney, firm_a_user):
    token = api_token(attorney)
    made = send(
        client,
        "post",
        "/evaluations",
        token,
        {
            "firm_id": firm_a.pk,
            "period": "2026",
            "quality": 5,
            "responsiveness": 4,
            "budget_accuracy": 3,
            "value": 4,
        },
    )
    assert made.status_code == 201 and made.json()["average"] == "4.00"
    assert (
        send(
            client,
            "post",
            "/evaluations",
            api_token(firm_a_user),
            {
                "firm_id": firm_a.pk,
                "period": "2026",
                "quality": 5,
                "responsiveness": 5,
                "budget_accuracy": 5,
                "value": 5,
            },
        ).status_code
        == 403
    )
    matter = world["matter"]
    forecast = send(
        client,
        "post",
        f"/matters/{matter.pk}/forecasts",
        api_token(firm_a_user),
        {"period_start": "2026-12-01", "amount": "1500", "firm_id": firm_a.pk},
    )
    assert forecast.status_code == 201 and forecast.json()["amount"] == "1500.00"
    listed = get(client, f"/matters/{matter.pk}/forecasts", api_token(firm_a_user)).json()
    assert listed["count"] == 1
