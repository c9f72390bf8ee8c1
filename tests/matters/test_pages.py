"""Every page renders for the roles that may open it, and firm B never sees firm A's rows."""

import datetime
from decimal import Decimal

import pytest
from tests.factories import MatterFactory, TimekeeperFactory

from legalops.matters import accruals, budgets
from legalops.matters.models import AccrualPeriod
from legalops.vendors import rate_requests, services


@pytest.fixture
def world(admin, attorney, firm_a, firm_b, firm_a_user):
    keeper = TimekeeperFactory(firm=firm_a, timekeeper_id="SECRET-TK", name="Hidden, Keeper")
    services.rate_create(
        actor=admin,
        firm=firm_a,
        timekeeper=keeper,
        rate=Decimal("777.77"),
        effective_from=datetime.date(2025, 1, 1),
    )
    matter = MatterFactory(
        number="A-ONLY-1", name="Alpha only", firms=[firm_a], lead_attorney=attorney
    )
    secret = MatterFactory(
        number="CONF-1", name="Project Nightingale", confidential=True, firms=[firm_a]
    )
    secret.team.add(attorney)
    budget = budgets.budget_submit(
        actor=firm_a_user,
        matter=matter,
        firm=firm_a,
        fiscal_year=2026,
        amounts={"L100": Decimal("100")},
    ).budget
    period = accruals.accrual_period_open(actor=admin, month=datetime.date(2026, 7, 1))
    accruals.accrual_report(
        actor=firm_a_user, period=period, matter=matter, firm=firm_a, current=Decimal("5")
    )
    request = rate_requests.rate_request_create(actor=firm_a_user, firm=firm_a, fiscal_year=2027)
    rate_requests.rate_request_line_add(
        actor=firm_a_user, request=request, timekeeper=keeper, requested_rate=Decimal("800")
    )
    rate_requests.rate_request_submit(actor=firm_a_user, request=request)
    services.firm_evaluate(
        actor=admin,
        firm=firm_a,
        period="2026",
        quality=4,
        responsiveness=4,
        budget_accuracy=4,
        value=4,
    )
    return {
        "keeper": keeper,
        "matter": matter,
        "secret": secret,
        "budget": budget,
        "period": period,
        "request": request,
    }


STAFF_PAGES = [
    "/vendors/",
    "/vendors/{firm}/",
    "/vendors/{firm}/rates/",
    "/vendors/{firm}/rates/?on=all",
    "/vendors/{firm}/rates.csv",
    "/vendors/timekeepers/",
    "/vendors/timekeepers/{keeper}/",
    "/vendors/rate-requests/",
    "/vendors/rate-requests/{request}/",
    "/vendors/evaluations/",
    "/matters/",
    "/matters/?status=open&type=litigation&q=alpha",
    "/matters/{matter}/",
    "/matters/budgets/",
    "/matters/budgets/{budget}/",
]
ADMIN_PAGES = [
    "/vendors/new/",
    "/vendors/{firm}/edit/",
    "/vendors/{firm}/evaluate/",
    "/vendors/{firm}/timekeepers/new/",
    "/matters/new/",
    "/matters/{matter}/edit/",
    "/matters/department/",
    "/matters/accruals/",
    "/matters/accruals/{period}/",
    "/matters/accruals/{period}/export.csv",
    "/admin/import/",
    "/admin/import/rates-template.csv",
]
PORTAL_PAGES = [
    "/portal/",
    "/portal/timekeepers/",
    "/portal/rates/",
    "/portal/rates.csv",
    "/portal/rate-requests/",
    "/portal/rate-requests/{request}/",
    "/portal/matters/",
    "/portal/matters/{matter}/",
    "/portal/accruals/",
]


def urls(paths, world, firm):
    ids = {k: v.pk for k, v in world.items()} | {"firm": firm.pk}
    return [p.format(**ids) for p in paths]


def test_staff_and_admin_pages_render(client, admin, world, firm_a):
    client.force_login(admin)
    for url in urls(STAFF_PAGES + ADMIN_PAGES, world, firm_a):
        response = client.get(url)
        assert response.status_code == 200, url
    assert b"Project Nightingale" in client.get("/matters/").content


def test_htmx_filters_return_only_the_table(client, admin, world):
    client.force_login(admin)
    response = client.get("/matters/", {"q": "alpha"}, headers={"HX-Request": "true"})
    assert response.content.lstrip().startswith(b'<div id="results">')
    assert (
        b"Alpha only" in response.content and b"<nav" not in response.content.split(b"</table>")[0]
    )


def test_attorney_pages_and_no_confidential_matter_outside_the_team(
    client, attorney, world, firm_a
):
    from tests.factories import UserFactory

    client.force_login(attorney)
    for url in urls(STAFF_PAGES, world, firm_a):
        assert client.get(url).status_code == 200, url
    outsider = UserFactory(role="attorney")
    client.force_login(outsider)
    assert b"Project Nightingale" not in client.get("/matters/").content
    assert client.get(f"/matters/{world['secret'].pk}/").status_code == 404
    assert client.get("/matters/department/").status_code == 403


def test_firm_a_portal_pages_render(client, firm_a_user, world, firm_a):
    client.force_login(firm_a_user)
    for url in urls(PORTAL_PAGES, world, firm_a):
        assert client.get(url).status_code == 200, url
    page = client.get(f"/portal/matters/{world['matter'].pk}/").content
    assert b"Alpha only" in page and b"Exposure" not in page


def test_firm_b_sees_nothing_of_firm_a_in_the_portal(client, firm_b_user, world, firm_a):
    client.force_login(firm_b_user)
    for url in urls(
        ["/portal/rate-requests/{request}/", "/portal/matters/{matter}/"], world, firm_a
    ):
        assert client.get(url).status_code == 404, url
    for url in [
        "/portal/timekeepers/",
        "/portal/rates/",
        "/portal/rates.csv",
        "/portal/matters/",
        "/portal/accruals/",
        "/portal/rate-requests/",
    ]:
        body = client.get(url).content
        for secret in (b"SECRET-TK", b"777.77", b"Alpha only", b"A-ONLY-1", b"Nightingale"):
            assert secret not in body, (url, secret)
    # staff pages send firm users to the portal
    for url in urls(STAFF_PAGES[:3], world, firm_a):
        assert client.get(url).status_code == 302


def test_firm_b_cannot_change_firm_a_data_through_the_portal(client, firm_b_user, world):
    client.force_login(firm_b_user)
    line = world["request"].lines.get()
    assert (
        client.post(
            f"/portal/rate-requests/lines/{line.pk}/answer/", {"answer": "accept"}
        ).status_code
        == 404
    )
    assert client.post(f"/portal/rate-requests/{world['request'].pk}/withdraw/").status_code == 404
    response = client.post("/portal/accruals/", {f"current-{world['matter'].pk}": "99"})
    assert response.status_code in (200, 302)
    assert world["period"].accruals.get().current_minor == 500


def test_firm_reports_accruals_all_or_nothing(client, firm_a_user, world, firm_a):
    other = MatterFactory(number="A-2", firms=[firm_a])
    client.force_login(firm_a_user)
    matter = world["matter"]
    client.post("/portal/accruals/", {f"current-{matter.pk}": "12.50", f"current-{other.pk}": "-1"})
    period = AccrualPeriod.objects.get()
    assert period.accruals.get(matter=matter).current_minor == 500  # unchanged: one bad row
    client.post("/portal/accruals/", {f"current-{matter.pk}": "12.50", f"current-{other.pk}": "0"})
    assert sorted(period.accruals.values_list("current_minor", flat=True)) == [0, 1250]


def test_requesters_see_no_matters_and_no_vendor_pages(client, requester, world):
    client.force_login(requester)
    assert client.get("/matters/").status_code == 403
    assert client.get(f"/matters/{world['matter'].pk}/").status_code == 403


def test_the_rate_card_csv_is_the_spec_format(client, admin, world, firm_a):
    client.force_login(admin)
    text = client.get(f"/vendors/{firm_a.pk}/rates.csv").content.decode()
    assert text.splitlines() == [
        "law_firm_id,timekeeper_id,timekeeper_name,classification,rate,currency,effective_from,effective_to,client_matter_id",
        '36-1234567,SECRET-TK,"Hidden, Keeper",ASSOC,777.7700,USD,2025-01-01,,',
    ]


def test_admin_decides_a_line_in_the_ui_and_the_card_changes(client, admin, world, firm_a):
    client.force_login(admin)
    line = world["request"].lines.get()
    client.post(f"/vendors/rate-requests/lines/{line.pk}/decide/", {"decision": "approve"})
    page = client.get(f"/vendors/{firm_a.pk}/rates/", {"on": "2027-01-01"}).content
    assert b"800.00 USD" in page


def test_import_page_reports_rows(client, admin, db):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(admin)
    upload = SimpleUploadedFile("firms.csv", b"law_firm_id,name\n1-1,\n")
    response = client.post("/admin/import/", {"kind": "firms", "file": upload})
    assert response.status_code == 200
    assert b"nothing was written" in response.content and b"is required" in response.content


def test_alert_thresholds_are_configured_per_budget(client, admin, world):
    client.force_login(admin)
    budget = world["budget"]
    client.post(f"/matters/budgets/{budget.pk}/thresholds/", {"thresholds": "50%, 90, 100"})
    budget.refresh_from_db()
    assert budget.alert_thresholds == [50, 90, 100]
    client.post(f"/matters/budgets/{budget.pk}/thresholds/", {"thresholds": "lots"})
    budget.refresh_from_db()
    assert budget.alert_thresholds == [50, 90, 100]


def test_an_attorney_outside_the_team_cannot_change_a_matter(client, world):
    from tests.factories import UserFactory

    client.force_login(UserFactory(role="attorney"))
    matter = world["matter"]
    response = client.post(f"/matters/{matter.pk}/do/status/", {"status": "closed"})
    assert response.status_code == 403
    matter.refresh_from_db()
    assert matter.status == "open"
    assert client.get(f"/matters/?lead={matter.lead_attorney_id}").status_code == 200


def test_firms_never_see_the_panel_peer_range(client, firm_a_user, admin, world):
    client.force_login(firm_a_user)
    page = client.get(f"/portal/rate-requests/{world['request'].pk}/").content
    assert b"Peers" not in page and b"Hidden, Keeper" in page
    client.force_login(admin)
    assert b"Peers" in client.get(f"/vendors/rate-requests/{world['request'].pk}/").content
