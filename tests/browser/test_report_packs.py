"""Scheduled report packs in the real UI: legal ops sets up a monthly pack from Insight, sends
February now, and each recipient gets their own pack (the attorney's holds only their matters)
with a real PDF and an Excel workbook; pausing shows in the row. No page breaks the CSP."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import Page, expect
from tests.browser.test_rate_negotiation import sign_in
from tests.reports.views_dataset import spend_dataset

from legalops.reports.models import ReportSubscription

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_schedules_a_pack_and_sends_february_to_each_recipient(
    page: Page, live_server: Any, admin: Any, attorney: Any, firm_a: Any, firm_b: Any
) -> None:
    spend_dataset(firm_a, firm_b, attorney)  # February: 300.00 + 250.50, neither on M-1
    violations: list[str] = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    base = live_server.url
    sign_in(page, base, admin.username)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Insight").click()
    page.get_by_role("navigation", name="Insight").get_by_role(
        "link", name="Scheduled packs"
    ).click()
    expect(page.get_by_role("heading", name="Scheduled report packs")).to_be_visible()
    expect(page.get_by_test_id("packs")).to_contain_text("No scheduled packs yet.")

    page.get_by_test_id("pack-new").click()
    form = page.get_by_test_id("pack-form")
    form.get_by_label("Name").fill("Monthly board pack")
    form.get_by_label("Executive overview").check()
    form.get_by_label("Excel workbook (native charts)").check()
    form.get_by_label(f"{admin.get_full_name()} (Legal operations (admin), {admin.email})").check()
    form.get_by_label(f"{attorney.get_full_name()} (In-house attorney, {attorney.email})").check()
    form.get_by_role("button", name="Save").click()

    subscription = ReportSubscription.objects.get()
    row = page.get_by_test_id(f"pack-{subscription.pk}")
    expect(row).to_contain_text("Monthly board pack")
    expect(row).to_contain_text("PDF, Excel")
    expect(row).to_contain_text("never")

    row.get_by_label("Month").fill("2026-02")
    row.get_by_test_id("send-now").click()
    history = page.get_by_test_id("history")
    expect(history.locator('tr[data-status="sent"]')).to_have_count(2)
    expect(row).to_be_attached()

    sent = {message.to[0]: message for message in mail.outbox}
    charts: dict[str, list[str]] = {}
    assert set(sent) == {admin.email, attorney.email}
    for message in sent.values():
        assert message.subject == "Monthly board pack: February 2026"
        files = {name: content for name, content, _ in message.attachments}
        assert sorted(files) == [
            "monthly-board-pack-2026-02.pdf",
            "monthly-board-pack-2026-02.xlsx",
        ]
        assert files["monthly-board-pack-2026-02.pdf"][:5] == b"%PDF-"
        with zipfile.ZipFile(io.BytesIO(files["monthly-board-pack-2026-02.xlsx"])) as book:
            charts[message.to[0]] = [n for n in book.namelist() if n.startswith("xl/charts/")]
    assert charts[admin.email], "the department's workbook has native charts"
    # February's 550.50 is the department's; the attorney's pack holds only matter M-1.
    assert "550.50" in sent[admin.email].body
    assert "550.50" not in sent[attorney.email].body
    assert "the whole department" in sent[admin.email].body

    # Pausing shows in the row without a reload.
    row.get_by_test_id("pause").click()
    expect(row.get_by_test_id("resume")).to_be_visible()
    subscription.refresh_from_db()
    assert subscription.is_active is False
    assert violations == []
