"""A report as a board-pack PDF: WeasyPrint over an HTML template, each table with its chart drawn
on the server as SVG (a PDF runs no JavaScript), and the KPI definitions at the end."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from legalops.reports.charts_svg import Series, chart_svg
from legalops.reports.exports.tables import Report, Table, cell_text, chart_data

TEMPLATE = "reports/pdf/board_pack.html"


def report_pdf(report: Report) -> bytes:
    # Imported here: WeasyPrint and its font stack take over a second to import, which every
    # process loading the URLs (each `legalops` command's checks, the server) would pay.
    from weasyprint import HTML

    html = render_to_string(TEMPLATE, {"report": report, "sections": _sections(report)})
    # No base URL: the template is self-contained, so nothing is fetched while rendering.
    return HTML(string=html).write_pdf()


def _sections(report: Report) -> list[dict[str, Any]]:
    return [
        {
            "table": table,
            "chart": mark_safe(_svg(table)),  # noqa: S308 - built by chart_svg, labels escaped
            "rows": [
                [
                    (cell_text(col, value), col.kind not in ("text", "date"))
                    for col, value in zip(table.columns, row, strict=True)
                ]
                for row in table.rows
            ],
        }
        for table in report.tables
    ]


def _svg(table: Table) -> str:
    data = chart_data(table)
    if data is None or not data.labels:
        return ""
    series = [Series(label, values) for label, values in data.series]
    return chart_svg(data.kind, data.title, data.labels, series)
