"""The report files from plain data: the workbook read back (values, number formats, a native
chart, frozen header, definitions sheet), the SVG charts and the PDF."""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from decimal import Decimal
from xml.etree import ElementTree

import pytest
from python_calamine import CalamineWorkbook

from legalops.reports.charts_svg import Series, chart_svg
from legalops.reports.exports.pdf import report_pdf
from legalops.reports.exports.tables import (
    Chart,
    Column,
    Definition,
    Report,
    Table,
    Typed,
    cell_text,
    chart_data,
)
from legalops.reports.exports.xlsx import report_xlsx

D = datetime.date


def _report() -> Report:
    trend = Table(
        key="trend",
        title="Spend trend",
        columns=(
            Column("Month", "date"),
            Column("Billed", "money", "USD"),
            Column("Savings rate", "percent"),
            Column("Hours", "hours"),
        ),
        rows=[
            (D(2026, 1, 1), 123456, Decimal("0.125"), Decimal("10.5")),
            (D(2026, 2, 1), 5, None, Decimal("0")),
        ],
        chart=Chart("line", "Billed by month", 0, (1,)),
    )
    yen = Table(
        key="firms",
        title="By firm: a [long] name that Excel would refuse as it is",
        columns=(Column("Firm"), Column("Approved", "money", "JPY"), Column("Invoices", "int")),
        rows=[("<Baker & Co>", 150000, 3)],
        chart=Chart("pie", "Share"),
    )
    figures = Table(
        key="key-figures",
        title="Key figures",
        columns=(Column("KPI"), Column("Value")),
        rows=[("Total billed", Typed("money", 250, "USD")), ("Rate", Typed("percent", None))],
    )
    return Report(
        title="Overview",
        subtitle="2026-01-01 to 2026-12-31 · USD",
        tables=[trend, yen, figures],
        definitions=[
            Definition("Total billed", "Sum of invoice totals", "money"),
            Definition("Diversity share", "Hours by diverse timekeepers", "percent", "diversity"),
        ],
    )


def _sheets(data: bytes) -> dict[str, list[list[object]]]:
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


def test_the_workbook_has_one_sheet_per_table_typed_values_and_definitions():
    sheets = _sheets(report_xlsx(_report()))
    assert list(sheets) == [
        "Spend trend",
        "By firm  a  long  name that Exc",  # 31 characters, []: replaced
        "Key figures",
        "Definitions",
    ]
    trend = sheets["Spend trend"]
    assert trend[3] == ["Month", "Billed", "Savings rate", "Hours"]
    # 123456 minor units of USD are 1,234.56; 5 are 0.05; the rate is a fraction for "0.0%".
    assert trend[4] == [D(2026, 1, 1), 1234.56, 0.125, 10.5]
    assert trend[5] == [D(2026, 2, 1), 0.05, "", 0.0]
    # JPY has no minor unit: 150000 is 150,000 yen.
    assert sheets["By firm  a  long  name that Exc"][4] == ["<Baker & Co>", 150000.0, 3.0]
    assert sheets["Key figures"][4] == ["Total billed", 2.5]
    definitions = sheets["Definitions"]
    assert definitions[3] == ["KPI", "Formula", "Unit", "Needs data"]
    assert definitions[5] == [
        "Diversity share",
        "Hours by diverse timekeepers",
        "percent",
        "diversity",
    ]


def test_the_workbook_has_native_charts_frozen_headers_and_money_formats():
    archive = zipfile.ZipFile(io.BytesIO(report_xlsx(_report())))
    names = archive.namelist()
    assert "xl/charts/chart1.xml" in names and "xl/charts/chart2.xml" in names
    line = archive.read("xl/charts/chart1.xml").decode()
    assert "<c:lineChart>" in line
    assert "'Spend trend'!$B$5:$B$6" in line  # the series reads the sheet's own cells
    assert "<c:pieChart>" in archive.read("xl/charts/chart2.xml").decode()
    sheet1 = archive.read("xl/worksheets/sheet1.xml").decode()
    assert 'ySplit="4"' in sheet1 and 'state="frozen"' in sheet1
    assert '<autoFilter ref="A4:D6"/>' in sheet1
    styles = archive.read("xl/styles.xml").decode()
    assert 'formatCode="#,##0.00 &quot;USD&quot;;-#,##0.00 &quot;USD&quot;"' in styles
    assert 'formatCode="#,##0 &quot;JPY&quot;;-#,##0 &quot;JPY&quot;"' in styles
    assert 'formatCode="0.0%"' in styles


def test_a_table_without_rows_gets_no_chart():
    empty = Table("e", "Empty", (Column("Firm"), Column("X", "int")), [], Chart("bar", "X"))
    archive = zipfile.ZipFile(io.BytesIO(report_xlsx(Report("R", "", [empty]))))
    assert not any(n.startswith("xl/charts/") for n in archive.namelist())


def test_cells_are_shown_exactly():
    assert cell_text(Column("", "money", "USD"), 123456) == "1,234.56 USD"
    assert cell_text(Column("", "money", "JPY"), 1500) == "1,500 JPY"
    assert cell_text(Column("", "percent"), Decimal("0.1234")) == "12.3%"
    assert cell_text(Column("", "hours"), Decimal("1.5")) == "1.50"
    assert cell_text(Column("", "int"), 1234) == "1,234"
    assert cell_text(Column("", "money", "USD"), None) == "—"
    assert cell_text(Column(""), Typed("money", 250, "EUR")) == "2.50 EUR"


def test_chart_data_converts_money_to_major_units_and_percent_to_hundreds():
    data = chart_data(_report().tables[0])
    assert data is not None
    assert data.labels == ["2026-01-01", "2026-02-01"]
    assert data.series == [("Billed", [Decimal("1234.56"), Decimal("0.05")])]


@pytest.mark.parametrize("kind", ["line", "column", "bar", "pie"])
def test_svg_charts_are_well_formed_and_escape_labels(kind):
    svg = chart_svg(
        kind,
        "Spend & <savings>",
        ["<script>", "B & C", "D"],
        [Series("Billed", [Decimal("10.5"), 0, None]), Series("Approved", [5, 3, 1])],
    )
    root = ElementTree.fromstring(svg)  # parses: every label escaped
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    shapes = {"line": "polyline", "column": "rect", "bar": "rect", "pie": "path"}[kind]
    assert root.iter(f"{{http://www.w3.org/2000/svg}}{shapes}")


def test_svg_bar_lengths_are_proportional_to_values():
    svg = chart_svg("bar", "T", ["a", "b"], [Series("x", [100, 50])])
    widths = [float(w) for w in re.findall(r'<rect x="150" y="[\d.]+" width="([\d.]+)"', svg)]
    assert widths[0] == pytest.approx(2 * widths[1])


def test_svg_without_data_says_so():
    assert "No data" in chart_svg("line", "T", [], [])
    assert "No data" in chart_svg("pie", "T", ["a"], [Series("x", [0])])


def test_the_board_pack_pdf_renders_tables_charts_and_definitions():
    data = report_pdf(_report())
    assert data.startswith(b"%PDF-")
    assert len(data) > 5000
