"""Which tables go into a report file: one dashboard (its key figures, then each of its views)
or the whole KPI pack of `legalops export kpi` (every KPI of the registry, then every
dashboard's views). The Excel and PDF writers turn either into a file."""

from __future__ import annotations

from dataclasses import replace

from django.utils import timezone

from legalops.reports.exports.tables import Report, Table
from legalops.reports.registry import REGISTRY
from legalops.reports.views_build import Context, definitions, values_of
from legalops.reports.views_pages import PAGES, Page, key_figures


def period_words(ctx: Context) -> str:
    start, end = ctx.filters.date_from, ctx.filters.date_to
    if not start and not end:
        return "all time"
    first = start.isoformat() if start else "the start"
    return f"{first} to {end.isoformat() if end else 'today'}"


def page_report(page: Page, ctx: Context) -> Report:
    values = values_of(ctx.user, ctx.filters, page.tiles, memo=ctx.memo)
    return Report(
        title=f"{page.title} — legal department KPIs",
        subtitle=f"{period_words(ctx)} · {ctx.currency}",
        tables=[key_figures(page.tiles, values, ctx.currency), *page_tables(page, ctx)],
        definitions=definitions(page.kpi_ids()),
        generated=timezone.now(),
    )


def page_tables(page: Page, ctx: Context) -> list[Table]:
    return [view.table(ctx) for view in page.views]


def pages_report(pages: list[Page], ctx: Context, title: str, subtitle: str = "") -> Report:
    """Several dashboards in one file (a scheduled report pack): each page's key figures, then
    its views; a view two pages share appears once, and the definitions cover every KPI shown."""
    tables: list[Table] = []
    ids: list[str] = []
    seen: set[str] = set()
    for page in pages:
        values = values_of(ctx.user, ctx.filters, page.tiles)
        figures = key_figures(page.tiles, values, ctx.currency)
        tables.append(
            replace(figures, key=f"{page.key}-{figures.key}", title=f"{page.title} key figures")
        )
        for view in page.views:
            if view.key not in seen:
                seen.add(view.key)
                tables.append(view.table(ctx))
        ids += [k for k in page.kpi_ids() if k not in ids]
    return Report(
        title=title,
        subtitle=subtitle or f"{period_words(ctx)} · {ctx.currency}",
        tables=tables,
        definitions=definitions(ids),
        generated=timezone.now(),
    )


def kpi_pack(ctx: Context) -> Report:
    """Every KPI of the registry and every dashboard's views, once each."""
    ids = list(REGISTRY)
    values = values_of(ctx.user, ctx.filters, ids, memo=ctx.memo)
    tables: list[Table] = [key_figures(ids, values, ctx.currency)]
    seen: set[str] = set()
    for page in PAGES.values():
        for view in page.views:
            if view.key not in seen:
                seen.add(view.key)
                tables.append(view.table(ctx))
    return Report(
        title="Legal department KPIs",
        subtitle=f"{period_words(ctx)} · {ctx.currency}",
        tables=tables,
        definitions=definitions(ids),
        generated=timezone.now(),
    )
