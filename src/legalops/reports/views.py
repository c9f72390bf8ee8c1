"""The Insight pillar: dashboards of registry KPIs with charts, a drill-down page listing the
invoices or lines behind any number, and each dashboard as Excel (native charts) or PDF.

Only staff who may read reports reach these pages (firm users and requesters get 403); the
registry limits attorneys to their matters."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from legalops.accounts.decorators import capability_required
from legalops.accounts.permissions import Capability, has_capability
from legalops.core.typing import AuthedRequest
from legalops.reports.exports.packs import page_report, page_tables, period_words
from legalops.reports.exports.pdf import report_pdf
from legalops.reports.exports.tables import Table, cell_text, chart_data
from legalops.reports.exports.xlsx import report_xlsx
from legalops.reports.forms import FilterForm
from legalops.reports.kpis_report import fx_warnings
from legalops.reports.registry import DIMENSIONS, FilterError, drill_invoices, drill_lines
from legalops.reports.selectors import BUCKET_LABELS, dimension_labels, reporting_currency
from legalops.reports.views_build import DRILL_PREFIX, Context, values_of
from legalops.reports.views_pages import PAGES, Page, kpis_needing_data, tiles

reports_required = capability_required(Capability.VIEW_REPORTS)
DRILL_PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _setup(request: AuthedRequest) -> tuple[FilterForm, Context]:
    form = FilterForm(request.GET, user=request.user, today=timezone.localdate())
    filters = form.filters()
    ctx = Context(request.user, filters, reporting_currency(), form.query())
    return form, ctx


def _page(key: str) -> Page:
    if key not in PAGES:
        raise Http404
    return PAGES[key]


@reports_required
def dashboard_view(request: AuthedRequest, page: str = "overview") -> HttpResponse:
    spec = _page(page)
    form, ctx = _setup(request)
    context = {
        "active": "insight",
        "page": spec,
        "pages": PAGES.values(),
        "form": form,
        "query": urlencode(ctx.query),
        "currency": ctx.currency,
        "period": period_words(ctx),
        "fx_warnings": fx_warnings(ctx.user, ctx.filters),
        "tiles": tiles(
            spec, values_of(ctx.user, ctx.filters, spec.tiles, memo=ctx.memo), ctx.currency
        ),
        "views": [_shown(table) for table in page_tables(spec, ctx)],
        "needing_data": kpis_needing_data() if spec.lists_needs else [],
        "can_schedule": has_capability(request.user, Capability.MANAGE_REPORTS),
    }
    return render(request, "reports/dashboard.html", context)


def _shown(table: Table) -> dict[str, Any]:
    """A table as the page renders it: cell texts, the drill link per row, the chart's data."""
    data = chart_data(table)
    chart = None
    if data is not None and data.labels:
        chart = {
            "kind": data.kind,
            "title": data.title,
            "labels": data.labels,
            "series": [
                {"label": label, "data": [None if v is None else str(v) for v in values]}
                for label, values in data.series
            ],
            "links": data.links,
        }
    links = list(table.links) + [""] * (len(table.rows) - len(table.links))
    rows = [
        {
            "cells": [
                (cell_text(c, v), c.kind not in ("text", "date"))
                for c, v in zip(table.columns, row, strict=True)
            ],
            "link": link,
        }
        for row, link in zip(table.rows, links, strict=True)
    ]
    return {
        "table": table,
        "rows": rows,
        "body": _body_html(rows),
        "chart": chart,
        "chart_id": f"chart-{table.key}",
    }


def _body_html(rows: list[dict[str, Any]]) -> str:
    """The table's rows as HTML, built here rather than by template loops: a page splits by
    firm into several tables of a row per firm (hundreds of rows, thousands of cells), which
    the template engine took a large part of the request to render. Every text is escaped."""
    out = []
    for row in rows:
        cells = []
        for index, (text, numeric) in enumerate(row["cells"]):
            shown: str = escape(text)
            if index == 0 and row["link"]:
                shown = f'<a href="{escape(row["link"])}" data-drill>{shown}</a>'
            cells.append(f'<td class="num">{shown}</td>' if numeric else f"<td>{shown}</td>")
        out.append(f"<tr>{''.join(cells)}</tr>\n    ")
    return mark_safe("".join(out))  # every text escaped above


@reports_required
def export_view(request: AuthedRequest, page: str, fmt: str) -> HttpResponse:
    spec = _page(page)
    _, ctx = _setup(request)
    report = page_report(spec, ctx)
    stamp = timezone.localdate().isoformat()
    if fmt == "xlsx":
        response = HttpResponse(report_xlsx(report), content_type=XLSX)
    elif fmt == "pdf":
        response = HttpResponse(report_pdf(report), content_type="application/pdf")
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="insight-{spec.key}-{stamp}.{fmt}"'
    return response


@reports_required
def drill_view(request: AuthedRequest) -> HttpResponse:
    """The invoices (or, with show=lines, the invoice lines) behind a number of a dashboard."""
    form, ctx = _setup(request)
    dimension = {
        name[len(DRILL_PREFIX) :]: str(value)
        for name, value in request.GET.items()
        if name.startswith(DRILL_PREFIX) and value
    }
    show_lines = request.GET.get("show") == "lines"
    try:
        narrowed = _narrowed_words(dimension)
        rows = (drill_lines if show_lines else drill_invoices)(ctx.user, ctx.filters, **dimension)
    except FilterError as exc:
        raise Http404(str(exc)) from exc
    page = Paginator(rows, DRILL_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "active": "insight",
        "pages": PAGES.values(),
        "form": form,
        "query": urlencode(ctx.query),
        "period": period_words(ctx),
        "narrowed": narrowed,
        "show_lines": show_lines,
        "page_obj": page,
        "base_query": _without(request.GET, "page"),
        "other_view": _without(request.GET, "page", "show") + ("" if show_lines else "&show=lines"),
        "can_schedule": has_capability(request.user, Capability.MANAGE_REPORTS),
    }
    return render(request, "reports/drill.html", context)


def _narrowed_words(dimension: dict[str, str]) -> list[tuple[str, str]]:
    """What the drill-down is narrowed to, in people's words ("Firm: Baker LLP")."""
    words = []
    for name, value in dimension.items():
        if name == "classification":
            words.append(("Timekeeper classification", BUCKET_LABELS.get(value, value)))
        elif name == "month":
            words.append(("Month", value))
        elif name == "matter_type":
            words.append((DIMENSIONS[name], dimension_labels(name, [value]).get(value, value)))
        elif name in DIMENSIONS:
            if not value.isdigit():
                raise FilterError(f"{name}: {value!r} is not an id")
            key = int(value)
            words.append((DIMENSIONS[name], dimension_labels(name, [key]).get(key, value)))
        else:
            raise FilterError(f"unknown drill-down dimension {name!r}")
    return words


def _without(params: Any, *names: str) -> str:
    copy = params.copy()
    for name in names:
        copy.pop(name, None)
    return str(copy.urlencode())
