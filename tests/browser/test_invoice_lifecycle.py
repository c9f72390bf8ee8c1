# ruff: noqa: F811 - pytest fixtures imported from the invoices tests
"""Issue 6's whole story in one run of the real UI, with the totals checked at every step:
the firm uploads a LEDES file in the portal, sees the pre-flight flags and submits; the matter's
attorney accepts the block-billing reduction and submits for approval; the routing rule sends it
to finance, who approves; the firm appeals the reduced line; the attorney reinstates it; finance
exports the invoice to AP and downloads the batch."""

from __future__ import annotations

import re
from importlib import import_module

import pytest
from django.apps import apps
from playwright.sync_api import Page, expect
from tests.accounts.helpers import code_for
from tests.browser.test_rate_negotiation import sign_in
from tests.invoices.conftest import intake, matter_a, rate_card  # noqa: F401
from tests.invoices.spend_fixtures import flagged_file, guidelines  # noqa: F401

from legalops.accounts import services as accounts
from legalops.approvals import services as approvals
from legalops.approvals.services import RuleSpec, StepSpec
from legalops.invoices.models import Invoice, State

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def totals(page: Page) -> list[str]:
    return [
        page.get_by_test_id(f"total-{k}").inner_text() for k in ("billed", "adjusted", "approved")
    ]


def test_portal_upload_to_ap_export(
    page: Page, live_server, attorney, approver, firm_a_user, matter_a, rate_card, guidelines
):
    # Transactional tests flush the tables, the reason codes of the migrations included.
    import_module("legalops.invoices.migrations.0002_reason_codes").add(apps, None)
    approvals.routing_rule_save(
        actor=None,
        rule=None,
        spec=RuleSpec(name="Finance signs", steps=(StepSpec(kind="user", user=approver),)),
    )
    device = accounts.two_factor_begin(user=firm_a_user)
    accounts.two_factor_confirm(
        user=firm_a_user, secret=device.secret, code=code_for(device.secret, offset_steps=-1)
    )
    problems: list[str] = []
    page.on(
        "response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None
    )
    page.on(
        "console",
        lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None,
    )
    base = live_server.url

    # 1. the firm checks its file, sees what the guidelines will do, and submits it
    sign_in(page, base, firm_a_user.username, device.secret)
    page.get_by_role("navigation", name="Portal").get_by_role("link", name="Invoices").click()
    page.get_by_role("link", name="Upload a LEDES invoice").click()
    page.get_by_label("LEDES file").set_input_files(
        {"name": "inv-90.txt", "mimeType": "text/plain", "buffer": flagged_file("INV-90")}
    )
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_test_id("preflight-flags")).to_contain_text("block-billing")
    # 4.0 h x 500.00 block-billed, halved by the guidelines: 1,000.00 at stake
    expect(page.get_by_test_id("preflight-at-stake")).to_have_text("1,000.00 USD")
    page.get_by_role("button", name="Submit the invoice").click()
    expect(page.locator(".messages")).to_contain_text("Invoice INV-90 submitted.")
    page.get_by_role("button", name="Sign out").click()

    # 2. the attorney accepts the reduction and the hold, and submits for approval
    sign_in(page, base, attorney.username)
    page.goto(base + "/spend/queue/")
    page.locator("#results").get_by_role("link", name="INV-90").click()
    # 2,000.00 + 0.5 h x 300.00 + 120.00 expense = 2,270.00 billed
    assert totals(page) == ["2,270.00 USD", "-1,000.00 USD", "1,270.00 USD"]
    for rule in ("block-billing", "vague-description"):
        flag = page.locator(f'[data-testid="flag"][data-rule="{rule}"]')
        flag.get_by_role("button", name="Accept").click()
        expect(flag.get_by_role("button", name="Accept")).to_have_count(0)
    page.get_by_role("button", name="Submit for approval").click()
    expect(page.get_by_test_id("state")).to_have_text("Pending approval")
    assert totals(page) == ["2,270.00 USD", "-1,000.00 USD", "1,270.00 USD"]
    page.get_by_role("button", name="Sign out").click()

    # 3. the routing rule sends it to finance, who approves
    sign_in(page, base, approver.username)
    page.goto(base + "/approvals/")
    page.locator("#results").get_by_role("link", name="INV-90").click()
    expect(page.locator("main")).to_contain_text("1,270.00 USD")
    page.get_by_role("button", name="Approve", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("You approved invoice INV-90")
    invoice = Invoice.objects.get(invoice_number="INV-90")
    assert (invoice.state, invoice.approved_minor) == (State.APPROVED_ADJUSTED, 127000)
    page.get_by_role("button", name="Sign out").click()

    # 4. the firm appeals the reduced line (a code of the next time step: the one used at the
    # first sign-in may still be current, and a used code is refused)
    sign_in(page, base, firm_a_user.username)
    page.get_by_label("Authentication code").fill(code_for(device.secret, offset_steps=1))
    page.get_by_role("button", name="Verify").click()
    page.get_by_role("navigation", name="Portal").get_by_role("link", name="Appeals").click()
    page.get_by_role("link", name="Appeal", exact=True).click()
    page.get_by_label("Why line 1 should be paid").fill(
        "four tasks, each itemised in the timesheet"
    )
    page.get_by_role("button", name="File the appeal").click()
    expect(page.locator(".messages")).to_contain_text("Appeal filed")
    page.get_by_role("button", name="Sign out").click()

    # 5. the attorney reinstates it in full: approved goes back to the billed 2,270.00
    sign_in(page, base, attorney.username)
    page.goto(base + "/appeals/")
    page.locator("#results").get_by_role("link", name="INV-90").click()
    page.get_by_label("Reinstated in full").check()
    page.get_by_role("button", name="Decide").click()
    expect(page.locator(".messages")).to_contain_text("Line 1 decided")
    expect(page.locator("main")).to_contain_text("approved now 2,270.00 USD")
    invoice.refresh_from_db()
    assert (invoice.state, invoice.approved_minor) == (State.APPROVED, 227000)
    page.get_by_role("button", name="Sign out").click()

    # 6. finance exports it to AP
    sign_in(page, base, approver.username)
    page.goto(base + "/payables/")
    page.get_by_role("button", name="Export all to a new batch").click()
    expect(page).to_have_url(re.compile(r"/payables/batches/\d+/$"))
    expect(page.locator("main")).to_contain_text("2,270.00 USD")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download CSV").click()
    assert "INV-90" in download.value.path().read_text(encoding="utf-8-sig")
    assert Invoice.objects.get(pk=invoice.pk).state == State.SENT_TO_AP
    assert problems == []
