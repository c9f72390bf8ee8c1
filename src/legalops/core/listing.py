"""Sorting and paginating tables the same way everywhere (`?sort=-name&page=2`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, QueryDict

PAGE_SIZES = (25, 50, 100)


@dataclass(frozen=True)
class Listing:
    page: Page[Any]
    sort: str
    params: QueryDict

    @property
    def sort_key(self) -> str:
        return self.sort.lstrip("-")

    @property
    def descending(self) -> bool:
        return self.sort.startswith("-")

    def query(self, **changes: Any) -> str:
        """The current query string with some parameters replaced (for links)."""
        params = self.params.copy()
        for key, value in changes.items():
            params[key] = str(value)
        return params.urlencode()

    def sort_query(self, key: str) -> str:
        toggled = f"-{key}" if self.sort == key else key
        return self.query(sort=toggled, page=1)


def listing(
    request: HttpRequest,
    queryset: QuerySet[Any],
    *,
    sorts: dict[str, str],
    default: str,
    per_page: int = 25,
) -> Listing:
    """`sorts` maps the public sort keys to model fields; unknown keys fall back to `default`."""
    sort = request.GET.get("sort", default)
    field = sorts.get(sort.lstrip("-"))
    if field is None:
        sort, field = default, sorts[default.lstrip("-")]
    order = f"-{field}" if sort.startswith("-") else field
    size = _page_size(request.GET.get("size"), per_page)
    paginator = Paginator(queryset.order_by(order, "pk"), size)
    page = paginator.get_page(request.GET.get("page"))
    return Listing(page=page, sort=sort, params=request.GET)


def _page_size(raw: str | None, default: int) -> int:
    try:
        size = int(raw or default)
    except ValueError:
        return default
    return size if size in PAGE_SIZES else default


def filter_bar(
    request: HttpRequest, specs: list[tuple[str, str, str, Any]]
) -> list[dict[str, Any]]:
    """The filters of `core/_filters.html`: (name, label, kind, options or placeholder) with
    the value the request holds. kind: "search", "select", "date" or "number"."""
    bar = []
    for name, label, kind, extra in specs:
        entry = {"name": name, "label": label, "kind": kind, "value": request.GET.get(name, "")}
        entry["options" if kind == "select" else "placeholder"] = extra
        bar.append(entry)
    return bar
