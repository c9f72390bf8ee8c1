"""The Insight pages: every dashboard answers for staff who read reports and for nobody else,
the filters change the numbers, attorneys see only their matters, every row drills down to the
invoices behind it, and each page downloads as Excel (with native charts) and PDF. Expected
numbers are computed by hand from the invoices of `views_dataset`."""

from __future__ import annotations

import io
import re
import zipfile
from html import escape
from typing import Any

import pytest
from python_calamine import CalamineWorkbook
from tests.reports.views_dataset import spend_dataset

from legalops.reports.registry import REGISTRY
from legalops.reports.views_pages import PAGES

ALL = {"period": "all"}


@pytest.fixture
def spend(firm_a: Any, firm_b: Any, attorney: Any) -> dict[str, Any]:
    return spend_dataset(firm_a, firm_b, attorney)


def _tile(response: Any, kpi_id: str) -> str:
    tiles = {t["id"]: t for t in response.context["tiles"]}
    return tiles[kpi_id]["value"]


def _view(response: Any, key: str) -> dict[str, Any]:
    return next(v for v in response.context["views"] if v["table"].key == key)


def test_every_page_names_only_kpis_of_the_registry():
    for page in PAGES.values():
        unknown = [k for k in page.kpi_ids() if k not in REGISTRY]
        assert unknown == [], page.key


@pytest.mark.parametrize("page", list(PAGES))
def test_every_dashboard_answers_for_an_admin_with_charts_and_downloads(
    client: Any, admin: Any, spend: Any, page: str
):
    client.force_login(admin)
    response = client.get(f"/insight/{page}/", ALL)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="/insight/{page}/export.xlsx?period=all"' in html
    assert f'href="/insight/{page}/export.pdf?period=all"' in html
    assert "/static/vendor/chartjs/chart.umd.min.js" in html
    # chart data goes in json_script blocks, never into an inline script
    assert re.search(r'<script id="chart-[\w-]+" type="application/json">', html)
    assert "<script>" not in html


@pytest.mark.parametrize("role", ["approver", "attorney"])
def test_approvers_and_attorneys_read_the_dashboards(client: Any, personas: Any, role: str):
    client.force_login(personas[role])
    assert client.get("/insight/").status_code == 200
    assert client.get("/insight/drill/").status_code == 200


@pytest.mark.parametrize("role", ["requester", "firm_a"])
@pytest.mark.parametrize(
    "path",
    ["/insight/", "/insight/spend/", "/insight/drill/", "/insight/overview/export.xlsx"],
)
def test_requesters_and_firm_users_are_refused(client: Any, personas: Any, role: str, path: str):
    client.force_login(personas[role])
    assert client.get(path).status_code == 403


def test_an_unknown_page_or_format_is_not_found(client: Any, admin: Any):
    client.force_login(admin)
    assert client.get("/insight/nonsense/").status_code == 404
    assert client.get("/insight/overview/export.docx").status_code == 404


def test_the_insight_pillar_in_the_navigation_opens_the_overview(client: Any, admin: Any):
    client.force_login(admin)
    assert b'href="/insight/"' in client.get("/").content


def test_filters_change_the_numbers(client: Any, admin: Any, spend: Any, firm_b: Any):
    client.force_login(admin)
    everything = client.get("/insight/", ALL)
    # billed: 1000.00 + 300.00 + 250.50; approved: 900.00 + 300.00 + 250.50
    assert _tile(everything, "total_billed") == "1,550.50 USD"
    assert _tile(everything, "total_approved") == "1,450.50 USD"
    firm = client.get("/insight/", {**ALL, "firm": firm_b.pk})
    assert _tile(firm, "total_billed") == "250.50 USD"
    feb = client.get("/insight/", {"period": "custom", "from": "2026-02-01", "to": "2026-02-28"})
    assert _tile(feb, "total_billed") == "550.50 USD"
    area = client.get("/insight/", {**ALL, "practice_area": spend["corporate"].pk})
    assert _tile(area, "total_billed") == "1,000.00 USD"
    employment = client.get("/insight/", {**ALL, "matter_type": "employment"})
    assert _tile(employment, "total_billed") == "550.50 USD"


def test_dates_without_a_period_are_a_custom_period(client: Any, admin: Any, spend: Any):
    client.force_login(admin)
    response = client.get("/insight/", {"from": "2026-01-01", "to": "2026-01-31"})
    assert _tile(response, "total_billed") == "1,000.00 USD"


def test_a_bad_filter_is_reported_on_its_field(client: Any, admin: Any, spend: Any):
    client.force_login(admin)
    response = client.get(
        "/insight/", {"period": "custom", "from": "2026-03-01", "to": "2026-02-01"}
    )
    assert response.status_code == 200
    assert "is after to" in response.content.decode()
    bad = client.get("/insight/", {"firm": "x"})
    assert bad.status_code == 200 and bad.context["form"].errors["firm"]


def test_the_filters_are_carried_into_every_link(client: Any, admin: Any, spend: Any, firm_a: Any):
    client.force_login(admin)
    html = client.get("/insight/spend/", {**ALL, "firm": firm_a.pk}).content.decode()
    assert f'href="/insight/firms/?period=all&amp;firm={firm_a.pk}"' in html
    assert f"/insight/spend/export.xlsx?period=all&amp;firm={firm_a.pk}" in html


def test_attorneys_see_only_their_matters(client: Any, attorney: Any, spend: Any):
    client.force_login(attorney)
    response = client.get("/insight/", ALL)
    assert _tile(response, "total_billed") == "1,000.00 USD"
    drill = client.get("/insight/drill/", ALL)
    assert [i.invoice_number for i in drill.context["page_obj"]] == ["A1"]


def test_every_row_drills_down_to_its_invoices(client: Any, admin: Any, spend: Any, firm_a: Any):
    client.force_login(admin)
    trend = _view(client.get("/insight/", ALL), "spend-trend")
    assert [r["cells"][0][0] for r in trend["rows"]] == ["2026-01", "2026-02"]
    february = trend["rows"][1]["link"]
    assert february == "/insight/drill/?period=all&d_month=2026-02"
    assert trend["chart"]["links"][1] == february
    drilled = client.get(february)
    assert [i.invoice_number for i in drilled.context["page_obj"]] == ["B1", "A2"]
    assert "Month: 2026-02" in drilled.content.decode()
    by_firm = client.get("/insight/drill/", {**ALL, "d_firm": firm_a.pk})
    assert [i.invoice_number for i in by_firm.context["page_obj"]] == ["A2", "A1"]
    assert "Firm: Hale &amp; Whitmore LLP" in by_firm.content.decode()


def test_table_rows_are_escaped_links_with_numeric_cells_marked(
    client: Any, admin: Any, spend: Any, firm_a: Any
):
    client.force_login(admin)
    html = client.get("/insight/spend/", ALL).content.decode()
    # firm A billed 1,000.00 + 300.00, all approved but the 100.00 reduced
    row = (
        f'<tr><td><a href="/insight/drill/?period=all&amp;d_firm={firm_a.pk}" data-drill>'
        'Hale &amp; Whitmore LLP</a></td><td class="num">1,200.00 USD</td>'
        '<td class="num">1,300.00 USD</td>'
    )
    assert row in html
    empty = client.get(
        "/insight/spend/", {"period": "custom", "from": "2030-01-01", "to": "2030-12-31"}
    )
    assert "No data for these filters." in empty.content.decode()


def test_a_drill_down_lists_lines_too(client: Any, admin: Any, spend: Any):
    client.force_login(admin)
    response = client.get(
        "/insight/drill/", {**ALL, "d_classification": "partner", "show": "lines"}
    )
    lines = list(response.context["page_obj"])
    assert [(line.invoice.invoice_number, line.classification) for line in lines] == [
        ("A1", "PARTNR")
    ]
    assert "Timekeeper classification: Partner" in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [{"d_firm": "x"}, {"d_month": "2026-13"}, {"d_colour": "red"}, {"d_classification": "x"}],
)
def test_a_bad_drill_down_is_not_found(client: Any, admin: Any, params: dict[str, str]):
    client.force_login(admin)
    assert client.get("/insight/drill/", params).status_code == 404


def test_the_drill_down_of_a_firm_user_is_refused_and_shows_nothing(
    client: Any, firm_b_user: Any, spend: Any
):
    client.force_login(firm_b_user)
    response = client.get("/insight/drill/", ALL)
    assert response.status_code == 403
    # Nothing of the invoices behind the chart: no list context, and no invoice number as a
    # text of the page (a bare b"A1" could occur inside a random CSRF token or nonce).
    assert response.context is None or "page_obj" not in response.context
    assert not re.search(rb">\s*A[123]\s*<", response.content)


def _workbook(data: bytes) -> dict[str, list[list[object]]]:
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


def test_the_overview_downloads_as_excel_with_charts_and_definitions(
    client: Any, admin: Any, spend: Any, firm_b: Any
):
    client.force_login(admin)
    response = client.get("/insight/overview/export.xlsx", {**ALL, "firm": firm_b.pk})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="insight-overview-')
    sheets = _workbook(response.content)
    names = list(sheets)
    assert names[0] == "Key figures" and names[-1] == "Definitions"
    assert len(names) == 2 + len(PAGES["overview"].views)
    billed, approved = REGISTRY["total_billed"].name, REGISTRY["total_approved"].name
    figures = {row[0]: row[1] for row in sheets["Key figures"][4:]}
    assert figures[billed] == 250.5  # firm B only: the filters apply to the export
    trend = sheets["Spend trend"]
    assert trend[3][:3] == ["Month", billed, approved]
    assert trend[4][:3] == ["2026-02", 250.5, 250.5]
    defined = [row[0] for row in sheets["Definitions"][4:]]
    assert billed in defined and approved in defined
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert "xl/charts/chart1.xml" in archive.namelist()


@pytest.mark.parametrize("page", list(PAGES))
def test_every_dashboard_downloads_as_pdf(client: Any, admin: Any, spend: Any, page: str):
    client.force_login(admin)
    response = client.get(f"/insight/{page}/export.pdf", ALL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")


def test_the_overview_says_which_kpis_need_data_the_platform_lacks(client: Any, admin: Any):
    client.force_login(admin)
    html = client.get("/insight/").content.decode()
    needing = [kpi for kpi in REGISTRY.values() if kpi.needs]
    assert needing
    for kpi in needing:
        assert f"needs data: {escape(kpi.needs or '')}" in html


def test_a_kpi_without_its_data_is_shown_as_needing_it_not_as_a_number(
    client: Any, admin: Any, spend: Any
):
    client.force_login(admin)
    response = client.get("/insight/firms/", ALL)
    tile = next(t for t in response.context["tiles"] if t["id"] == "diverse_relationship_partners")
    assert tile["needs"] == REGISTRY["diverse_relationship_partners"].needs and tile["value"] == ""
    assert f"needs data: {escape(tile['needs'])}" in response.content.decode()
    sheets = _workbook(client.get("/insight/firms/export.xlsx", ALL).content)
    figures = {row[0]: row[1] for row in sheets["Key figures"][4:]}
    assert figures[REGISTRY["diverse_relationship_partners"].name] == f"needs data: {tile['needs']}"


def test_the_operations_charts_drill_down_to_their_invoices(
    client: Any, admin: Any, book: Any, firm_a: Any
) -> None:
    # BOOK: A1 (firm A, January) approved after 4.5 days, B1 (firm B, February) after 1.0 day,
    # A2 (firm A, received 02-20) still in review.
    client.force_login(admin)
    page = client.get("/insight/operations/", ALL)
    cycle = {r["cells"][0][0]: r for r in _view(page, "cycle-trend")["rows"]}
    assert cycle["2026-01"]["cells"][1][0] == "4.5"
    assert cycle["2026-02"]["cells"][1][0] == "1.0"
    january = client.get(cycle["2026-01"]["link"])
    assert [i.invoice_number for i in january.context["page_obj"]] == ["A1"]
    queue = {r["cells"][0][0]: r for r in _view(page, "queue-by-firm")["rows"]}
    assert queue["Hale & Whitmore LLP"]["cells"][1][0] == "1"
    firm = client.get(queue["Hale & Whitmore LLP"]["link"])  # all of firm A's invoices
    assert [i.invoice_number for i in firm.context["page_obj"]] == ["A3", "A2", "A1"]
