"""Template helpers shared by every table."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from legalops.core.listing import Listing
from legalops.core.money import MoneyError, from_minor

register = template.Library()


@register.simple_tag
def sort_th(listing: Listing, key: str, label: str, css: str = "") -> SafeString:
    """A sortable column header: click to sort, click again to reverse."""
    arrow = ""
    if listing.sort_key == key:
        arrow = " ▼" if listing.descending else " ▲"
    sort = "descending" if listing.descending else "ascending"
    aria = format_html(' aria-sort="{}"', sort) if listing.sort_key == key else ""
    return format_html(
        '<th class="{}"{}><a href="?{}">{}{}</a></th>',
        css,
        aria,
        listing.sort_query(key),
        label,
        arrow,
    )


@register.simple_tag
def page_query(listing: Listing, page: int) -> str:
    return listing.query(page=page)


@register.filter
def money(minor: int | None, code: str) -> str:
    """`{{ row.total_minor|money:row.currency }}` -> "1,234.50 USD" (exact, from minor units)."""
    if minor is None or minor == "":
        return "—"
    try:
        return f"{from_minor(int(minor), code):,f} {code}"
    except MoneyError:
        return f"{minor} {code}"


@register.filter
def amount(minor: int | None, code: str) -> str:
    """Like `money` without the currency code (for input fields and tables with one)."""
    if minor is None or minor == "":
        return ""
    return f"{from_minor(int(minor), code):f}"


@register.filter
def pct(value: Decimal | None) -> str:
    return "—" if value is None else f"{value}%"


@register.filter
def get_item(mapping: dict[object, object], key: object) -> object:
    return mapping.get(key)


@register.filter
def subtract(value: int, other: int) -> int:
    return int(value) - int(other)


@register.filter
def rate(value: Decimal | None) -> str:
    """A rate as billed, without needless trailing zeros but with at least 2 places."""
    if value is None or value == "":
        return "—"
    text = f"{Decimal(value):f}"
    whole, _, places = text.partition(".")
    places = places.rstrip("0")
    return f"{whole}.{places.ljust(2, '0')}"
