"""Guidelines management in the real UI: legal ops copies the version in force into a draft,
raises a parameter in the structured editor, reads the diff, publishes it with an effective
date; the firm then reads both versions in its portal rulebook and downloads the PDF."""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import Page, expect
from tests.accounts.helpers import code_for
from tests.browser.test_rate_negotiation import sign_in

from legalops.accounts import services as accounts
from legalops.invoices.rulebook import guidelines_load

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BASE = b"""[guidelines]
name = "Acme OCG"
version = "2026.1"
effective = 2026-01-01

[rules.daily-hours-cap]
max_hours = 10
"""


def test_admin_edits_diffs_and_publishes_then_the_firm_reads_the_rulebook(
    page: Page, live_server, admin, firm_a_user
):
    violations: list[str] = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    guidelines_load(actor=admin, data=BASE, filename="acme.toml")
    base = live_server.url
    effective = datetime.date.today() + datetime.timedelta(days=30)

    # legal ops: Spend > Guidelines, a copy of the version in force
    sign_in(page, base, admin.username)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Spend").click()
    page.get_by_role("navigation", name="Spend").get_by_role("link", name="Guidelines").click()
    versions = page.get_by_test_id("versions")
    expect(versions.locator('tr[data-standing="in force"]')).to_contain_text("2026.1")
    page.get_by_role("button", name="Copy 2026.1 into a draft").click()
    expect(page.get_by_role("heading", name="Edit the rules of draft 2026.1")).to_be_visible()

    # the structured editor: a new version label and a higher daily cap
    page.get_by_label("Version").fill("2026.2")
    page.locator('[name="rule.daily-hours-cap.max_hours"]').fill("twelve")
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator('[data-field="rule.daily-hours-cap.max_hours"]')).to_contain_text(
        "expected a number"
    )
    page.locator('[name="rule.daily-hours-cap.max_hours"]').fill("12")
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator(".messages")).to_contain_text("Draft saved.")
    expect(page.get_by_test_id("standing")).to_have_text("draft")
    expect(page.get_by_test_id("source")).to_contain_text("max_hours = 12")

    # the diff against the version in force
    page.get_by_role("link", name="Compare with the version in force").click()
    row = page.locator('[data-testid="rule-diff"] tr[data-rule="daily-hours-cap"]')
    expect(row).to_contain_text("max_hours")
    expect(row.locator("td.old")).to_have_text("10")
    expect(row.locator("td.new")).to_have_text("12")
    expect(page.get_by_test_id("text-diff")).to_contain_text("+max_hours = 12")
    page.go_back()

    # publish from a date to come
    page.get_by_label("Effective date").fill(effective.isoformat())
    page.get_by_label("Reason").fill("daily cap raised to 12 hours, agreed with the panel")
    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".messages")).to_contain_text(f"Published 2026.2, effective {effective}")
    expect(page.get_by_test_id("standing")).to_have_text("scheduled")
    page.get_by_role("button", name="Sign out").click()

    # the firm reads the rulebook: the version in force, then the one to come
    device = accounts.two_factor_begin(user=firm_a_user)
    accounts.two_factor_confirm(
        user=firm_a_user, secret=device.secret, code=code_for(device.secret, offset_steps=-1)
    )
    sign_in(page, base, firm_a_user.username, device.secret)
    page.get_by_role("navigation", name="Portal").get_by_role("link", name="Rulebook").click()
    book = page.get_by_test_id("rulebook")
    expect(book.locator('[data-rule="daily-hours-cap"]')).to_contain_text("at most 10 hours a day")
    page.get_by_role("link", name=re.compile(r"2026\.2 · scheduled")).click()
    expect(book.locator('[data-rule="daily-hours-cap"]')).to_contain_text("at most 12 hours a day")
    pdf_url = page.get_by_role("link", name="Download PDF").get_attribute("href")
    pdf = page.request.get(base + str(pdf_url))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
    assert violations == []
