"""The approval pages: "My approvals" (filter, sort, paginate, bulk approve), the decision page,
routing rules (ordered list, edit, test against an invoice), settings and delegations."""

import datetime

import pytest
from tests.approvals.ebilling import CLEAN
from tests.factories import UserFactory

from legalops.approvals import services
from legalops.approvals.models import ApprovalTask, Delegation, RoutingRule, TaskStatus
from legalops.approvals.services import RuleSpec, StepSpec
from legalops.invoices.models import State


def rule(name, *users, **conditions):
    steps = tuple(StepSpec(kind="user", user=u) for u in users)
    return services.routing_rule_save(
        actor=None, rule=None, spec=RuleSpec(name=name, steps=steps, **conditions)
    )


def text(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_my_approvals_lists_what_waits_for_me_only(signed_in, submitted, approver, attorney):
    mine = submitted(CLEAN)  # default chain: the lead attorney
    rule("Finance", approver)
    theirs = submitted(CLEAN)
    page = text(signed_in(attorney).get("/approvals/"))
    assert mine.invoice_number in page and theirs.invoice_number not in page
    partial = text(signed_in(attorney).get("/approvals/", {"q": "NOPE"}, HTTP_HX_REQUEST="true"))
    assert "Nothing waits for you." in partial and "<html" not in partial
    sorted_page = text(signed_in(attorney).get("/approvals/", {"sort": "-amount"}))
    assert mine.invoice_number in sorted_page


def test_legal_ops_may_list_everyones_pending_approvals(signed_in, submitted, admin, approver):
    rule("Finance", approver)
    invoice = submitted(CLEAN)
    client = signed_in(admin)
    assert invoice.invoice_number not in text(client.get("/approvals/"))
    assert invoice.invoice_number in text(client.get("/approvals/", {"scope": "all"}))


def test_approve_send_back_and_reject_from_the_decision_page(signed_in, submitted, attorney):
    client = signed_in(attorney)
    invoice = submitted(CLEAN)
    task = ApprovalTask.objects.get(invoice=invoice)
    page = text(client.get(f"/approvals/tasks/{task.pk}/"))
    assert "Your decision (level 1" in page
    response = client.post(
        f"/approvals/invoices/{invoice.pk}/approve/",
        {"comment": "ok", "next": f"/approvals/tasks/{task.pk}/"},
    )
    assert response.status_code == 302 and response["Location"] == f"/approvals/tasks/{task.pk}/"
    invoice.refresh_from_db()
    assert invoice.state == State.APPROVED
    second = submitted(CLEAN)
    client.post(f"/approvals/invoices/{second.pk}/send-back/", {"comment": ""})
    second.refresh_from_db()
    assert second.state == State.PENDING_APPROVAL  # a comment is required
    client.post(f"/approvals/invoices/{second.pk}/send-back/", {"comment": "hours?"})
    second.refresh_from_db()
    assert second.state == State.IN_REVIEW
    third = submitted(CLEAN)
    client.post(
        f"/approvals/invoices/{third.pk}/reject/",
        {"reason_code": "billing-error", "comment": "wrong matter"},
    )
    third.refresh_from_db()
    assert third.state == State.REJECTED


def test_bulk_approve_reports_refusals(signed_in, submitted, attorney, approver):
    mine = submitted(CLEAN)
    rule("Finance", approver)
    theirs = submitted(CLEAN)
    client = signed_in(attorney)
    response = client.post(
        "/approvals/bulk-approve/", {"invoice": [mine.pk, theirs.pk]}, follow=True
    )
    page = text(response)
    assert "Approved your level of 1 invoice(s)." in page
    assert f"Invoice {theirs.invoice_number}: level 1 of this invoice waits for" in page
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.state, theirs.state) == (State.APPROVED, State.PENDING_APPROVAL)


def test_nobody_else_acts_or_sees(signed_in, submitted, approver, firm_a_user, requester):
    invoice = submitted(CLEAN)
    task = ApprovalTask.objects.get(invoice=invoice)
    client = signed_in(approver)
    assert client.get(f"/approvals/tasks/{task.pk}/").status_code == 404
    assert client.post(f"/approvals/invoices/{invoice.pk}/approve/", {}).status_code == 404
    for user in (firm_a_user, requester):
        client.force_login(user)
        response = client.get("/approvals/")
        assert response.status_code in (302, 403)
        response = client.post(f"/approvals/invoices/{invoice.pk}/approve/", {})
        assert response.status_code in (302, 403)
    assert ApprovalTask.objects.get(invoice=invoice).status == TaskStatus.PENDING


def test_legal_ops_edit_order_and_test_routing_rules(signed_in, admin, approver, submitted):
    client = signed_in(admin)
    assert "No rules yet" in text(client.get("/approvals/rules/"))
    response = client.post(
        "/approvals/rules/new/",
        {
            "name": "Big litigation",
            "is_active": "on",
            "amount_over": "500",
            "matter_types": ["litigation"],
            "level-TOTAL_FORMS": "3",
            "level-INITIAL_FORMS": "0",
            "level-0-kind": "lead_attorney",
            "level-1-kind": "user",
            "level-1-user": str(approver.pk),
            "level-1-above": "50000",
            "level-2-kind": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    big = RoutingRule.objects.get()
    assert [s.kind for s in big.steps.all()] == ["lead_attorney", "user"]
    assert big.steps.get(level=2).above_minor == 5_000_000
    rule("Catch-all", approver)
    client.post(f"/approvals/rules/{big.pk}/move/down/")
    assert list(RoutingRule.objects.values_list("name", flat=True)) == [
        "Catch-all",
        "Big litigation",
    ]
    invoice = submitted(CLEAN)
    page = text(client.get(f"/approvals/rules/{big.pk}/test/", {"invoice": invoice.invoice_number}))
    assert "matches" in page and "Routed now by: Catch-all" in page
    assert "level 2: only above 50000.00 USD" in page
    missing = text(client.get("/approvals/rules/test/", {"invoice": "NOPE"}))
    assert "no invoice &#x27;NOPE&#x27;" in missing


def test_a_rule_with_a_bad_level_is_refused_on_the_form(signed_in, admin, approver):
    response = signed_in(admin).post(
        "/approvals/rules/new/",
        {
            "name": "Bad",
            "level-TOTAL_FORMS": "1",
            "level-INITIAL_FORMS": "0",
            "level-0-kind": "user",
            "level-0-user": str(approver.pk),
            "level-0-above": "10",
        },
    )
    assert "level 1 applies to every invoice" in text(response)
    assert not RoutingRule.objects.exists()


def test_only_legal_ops_manage_rules(signed_in, attorney, approver):
    for user in (attorney, approver):
        client = signed_in(user)
        assert client.get("/approvals/rules/").status_code == 403
        assert client.get("/approvals/rules/settings/").status_code == 403


def test_the_settings_page(signed_in, admin, approver):
    client = signed_in(admin)
    client.post(
        "/approvals/rules/settings/",
        {
            "auto_approve_below": "500",
            "remind_after_days": "2",
            "escalate_after_days": "5",
            "escalation_user": str(approver.pk),
        },
    )
    from legalops.approvals.selectors import policy_get

    policy = policy_get()
    assert (policy.auto_approve_below_minor, policy.escalation_user) == (50000, approver)


def test_delegations_page(signed_in, approver, attorney, admin):
    deputy = UserFactory(role="approver", username="deputy")
    client = signed_in(approver)
    start = datetime.date.today()
    client.post(
        "/approvals/delegations/",
        {
            "delegate": str(deputy.pk),
            "starts_on": start.isoformat(),
            "ends_on": (start + datetime.timedelta(days=5)).isoformat(),
            "comment": "holiday",
        },
    )
    delegation = Delegation.objects.get()
    assert (delegation.delegator, delegation.delegate) == (approver, deputy)
    assert "holiday" in text(client.get("/approvals/delegations/", {"current": "running"}))
    client.force_login(attorney)
    assert "holiday" not in text(client.get("/approvals/delegations/"))
    assert client.post(f"/approvals/delegations/{delegation.pk}/revoke/").status_code == 404
    client.force_login(approver)
    client.post(f"/approvals/delegations/{delegation.pk}/revoke/")
    delegation.refresh_from_db()
    assert delegation.revoked_at is not None


@pytest.mark.parametrize("path", ["/approvals/", "/approvals/delegations/"])
def test_pages_render_for_an_approver(signed_in, approver, path):
    assert text(signed_in(approver).get(path))


def test_the_invoice_page_panel_offers_the_decision_to_its_approver_only(
    submitted, attorney, approver, firm_a_user
):
    from django.template import Context, Template
    from django.test import RequestFactory

    invoice = submitted(CLEAN)
    template = Template("{% load approvals %}{% approval_panel invoice %}")

    def render(user):
        request = RequestFactory().get(f"/invoices/{invoice.pk}/")
        request.user = user
        return template.render(Context({"request": request, "invoice": invoice}))

    mine = render(attorney)
    assert "Level 1 waits for you" in mine
    assert f'action="/approvals/invoices/{invoice.pk}/approve/"' in mine
    assert f'value="/invoices/{invoice.pk}/"' in mine  # back to the invoice page
    theirs = render(approver)
    assert "waits for" in theirs and "/approve/" not in theirs
    assert render(firm_a_user).strip() == ""
