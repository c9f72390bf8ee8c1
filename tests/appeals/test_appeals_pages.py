"""Appeal pages in the portal (firm) and for reviewers, the API, and the invoice-page panel;
firm B never sees or appeals firm A's invoices."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from tests.approvals.ebilling import BLOCK, CLEAN

from legalops.appeals.models import Appeal, AppealStatus
from legalops.invoices.models import State


def text(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.fixture
def adjusted(approved):
    return approved(BLOCK, CLEAN)


def file_appeal(client, invoice, reason="itemised in the timesheet", amount=""):
    line = invoice.lines.get(line_item_number="1")
    return client.post(
        f"/portal/appeals/new/{invoice.pk}/",
        {f"reason_{line.pk}": reason, f"amount_{line.pk}": amount, "note": "please"},
    )


def test_a_firm_appeals_in_the_portal_and_the_reviewer_decides(
    signed_in, adjusted, firm_a_user, attorney
):
    client = signed_in(firm_a_user)
    listing = text(client.get("/portal/appeals/"))
    assert adjusted.invoice_number in listing and "Appeal</a>" in listing
    form = text(client.get(f"/portal/appeals/new/{adjusted.pk}/"))
    assert "block-billing" in form and "appeals allowed until" in form
    response = file_appeal(client, adjusted, amount="600")
    appeal = Appeal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/portal/appeals/{appeal.pk}/"
    assert "awaiting decision" in text(client.get(response["Location"]))
    reviewer = signed_in(attorney)
    assert adjusted.invoice_number in text(reviewer.get("/appeals/"))
    item = appeal.items.get()
    assert "itemised in the timesheet" in text(reviewer.get(f"/appeals/{appeal.pk}/"))
    reviewer.post(
        f"/appeals/{appeal.pk}/items/{item.pk}/decide/",
        {"decision": "partly", "amount": "250", "comment": "half of the call was fine"},
    )
    adjusted.refresh_from_db()
    assert adjusted.state == State.APPROVED_ADJUSTED
    assert adjusted.approved_minor == 200000 + 25000
    client.force_login(firm_a_user)
    page = text(client.get(f"/portal/appeals/{appeal.pk}/"))
    assert "Partly reinstated" in page and "half of the call was fine" in page


def test_a_firm_appeal_without_reasons_is_refused_on_the_form(signed_in, adjusted, firm_a_user):
    response = file_appeal(signed_in(firm_a_user), adjusted, reason=" ")
    assert "choose at least one adjusted line" in text(response)
    assert not Appeal.objects.exists()


def test_firm_b_cannot_see_or_appeal_firm_a_s_invoice(
    signed_in, adjusted, firm_a_user, firm_b_user
):
    file_appeal(signed_in(firm_a_user), adjusted)
    appeal = Appeal.objects.get()
    client = signed_in(firm_b_user)
    assert adjusted.invoice_number not in text(client.get("/portal/appeals/"))
    assert client.get(f"/portal/appeals/new/{adjusted.pk}/").status_code == 404
    assert file_appeal(client, adjusted).status_code == 404
    assert client.get(f"/portal/appeals/{appeal.pk}/").status_code == 404
    assert client.post(f"/portal/appeals/{appeal.pk}/withdraw/").status_code == 404
    assert Appeal.objects.get().status == AppealStatus.OPEN


def test_staff_appeal_pages_are_for_reviewers(
    signed_in, adjusted, firm_a_user, approver, requester
):
    file_appeal(signed_in(firm_a_user), adjusted)
    appeal = Appeal.objects.get()
    item = appeal.items.get()
    client = signed_in(approver)
    assert client.get("/appeals/").status_code == 403
    client.post(f"/appeals/{appeal.pk}/items/{item.pk}/decide/", {"decision": "reinstated"})
    client.force_login(requester)
    assert client.get(f"/appeals/{appeal.pk}/").status_code == 403
    client.force_login(firm_a_user)
    assert client.get("/appeals/").status_code == 302  # firm users go to the portal
    item.refresh_from_db()
    assert item.decision == "pending"


def api(client, method, path, token, body=None):
    headers = {"authorization": f"Bearer {token}"}
    if method == "get":
        return client.get(f"/api/v1{path}", headers=headers)
    return client.post(
        f"/api/v1{path}", body or {}, content_type="application/json", headers=headers
    )


def test_the_api_files_lists_and_decides_appeals(
    client, api_token, adjusted, firm_a_user, firm_b_user, attorney
):
    body = {"invoice_id": adjusted.pk, "items": [{"line_item_number": "1", "reason": "fine"}]}
    assert api(client, "post", "/appeals", api_token(firm_b_user), body).status_code == 404
    created = api(client, "post", "/appeals", api_token(firm_a_user), body)
    assert created.status_code == 201, created.json()
    appeal = created.json()
    assert (appeal["invoice_state"], appeal["items"][0]["requested"]) == ("appealed", "1000.00")
    assert api(client, "get", "/appeals", api_token(firm_b_user)).json()["count"] == 0
    assert api(client, "get", f"/appeals/{appeal['id']}", api_token(firm_b_user)).status_code == 404
    again = api(client, "post", "/appeals", api_token(firm_a_user), body)
    assert again.status_code == 422
    path = f"/appeals/{appeal['id']}/items/{appeal['items'][0]['id']}/decide"
    refused = api(client, "post", path, api_token(firm_a_user), {"decision": "reinstated"})
    assert refused.status_code == 403
    decided = api(client, "post", path, api_token(attorney), {"decision": "reinstated"})
    assert decided.json()["status"] == "decided" and decided.json()["invoice_state"] == "approved"


def render_panel(user, invoice):
    request = RequestFactory().get("/")
    request.user = user
    template = Template("{% load appeals %}{% appeal_panel invoice %}")
    return template.render(Context({"request": request, "invoice": invoice}))


def test_the_invoice_page_panel_tells_the_firm_until_when_it_may_appeal(
    adjusted, firm_a_user, attorney
):
    html = render_panel(firm_a_user, adjusted)
    assert "Appeals allowed until" in html and f"/portal/appeals/new/{adjusted.pk}/" in html
    assert "/portal/appeals/new/" not in render_panel(attorney, adjusted)
