"""The Insight dashboards in the real UI: each page opens and draws its charts, a filter changes
the numbers, a click on a chart and on a table row opens the invoices behind them, and the Excel
download opens and holds a native chart. No page breaks the CSP."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from python_calamine import CalamineWorkbook
from tests.browser.test_rate_negotiation import sign_in
from tests.reports.views_dataset import spend_dataset

from legalops.reports.views_pages import PAGES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _click_chart_point(page: Page, chart_id: str, index: int) -> None:
    """Clicks where Chart.js drew the data point `index` of the first series (a real click)."""
    canvas = page.locator(f'canvas[data-chart-id="{chart_id}"]')
    canvas.scroll_into_view_if_needed()
    expect(canvas).to_be_visible()
    point = canvas.evaluate(
        "(c, i) => { const e = c.chart.getDatasetMeta(0).data[i]; return {x: e.x, y: e.y}; }",
        index,
    )
    box = canvas.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])


def test_dashboards_filter_drill_down_and_download(
    page: Page, live_server: Any, admin: Any, firm_a: Any, firm_b: Any, attorney: Any
) -> None:
    spend_dataset(firm_a, firm_b, attorney)
    violations: list[str] = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    base = live_server.url
    sign_in(page, base, admin.username)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Insight").click()
    expect(page.get_by_role("heading", name="Executive overview")).to_be_visible()

    # every dashboard opens, draws its charts and keeps the period chosen
    page.get_by_label("Period").select_option("all")
    page.get_by_role("button", name="Apply").click()
    for spec in PAGES.values():
        page.get_by_role("navigation", name="Insight").get_by_role("link", name=spec.title).click()
        expect(page.get_by_role("heading", name=spec.title, exact=True)).to_be_visible()
        expect(page).to_have_url(re.compile(r"period=all"))
        drawn = page.locator("canvas[data-chart-id]").evaluate_all(
            "cs => cs.filter(c => c.chart).length"
        )
        assert drawn == page.locator("canvas[data-chart-id]").count() > 0, spec.key

    # a filter changes the numbers: firm B billed 250.50 of the 1,550.50
    page.get_by_role("navigation", name="Insight").get_by_role(
        "link", name="Executive overview"
    ).click()
    billed = page.locator('[data-kpi="total_billed"] .stat')
    expect(billed).to_have_text("1,550.50 USD")
    page.get_by_label("Firm", exact=True).select_option(label="Okafor Brandt LLP")
    page.get_by_role("button", name="Apply").click()
    expect(billed).to_have_text("250.50 USD")
    page.get_by_label("Firm", exact=True).select_option(label="All firms")
    page.get_by_role("button", name="Apply").click()
    expect(billed).to_have_text("1,550.50 USD")

    # a click on the trend chart's February point opens February's invoices
    _click_chart_point(page, "chart-spend-trend", 1)
    expect(page.get_by_role("heading", name="Invoices behind the number")).to_be_visible()
    expect(page.get_by_test_id("drill-scope")).to_contain_text("Month: 2026-02")
    rows = page.get_by_test_id("drill-invoices").locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("B1")
    page.get_by_role("link", name="Show the lines").click()
    expect(page.get_by_test_id("drill-lines").locator("tbody tr")).to_have_count(2)
    page.go_back()
    page.go_back()

    # a table row of the top firms opens that firm's invoices
    page.get_by_test_id("view-top-firms").get_by_role("link", name="Hale & Whitmore LLP").click()
    expect(page.get_by_test_id("drill-scope")).to_contain_text("Firm: Hale & Whitmore LLP")
    expect(page.get_by_test_id("drill-invoices").locator("tbody tr")).to_have_count(2)
    page.go_back()

    # the Excel download opens and holds a native chart over the filtered numbers
    with page.expect_download() as info:
        page.get_by_test_id("export-xlsx").click()
    data = Path(info.value.path()).read_bytes()
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert "xl/charts/chart1.xml" in archive.namelist()
    assert "<c:lineChart>" in archive.read("xl/charts/chart1.xml").decode()
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    assert book.sheet_names[0] == "Key figures" and book.sheet_names[-1] == "Definitions"
    trend = book.get_sheet_by_name("Spend trend").to_python()
    assert [row[0] for row in trend[4:]] == ["2026-01", "2026-02"]
    assert violations == []
