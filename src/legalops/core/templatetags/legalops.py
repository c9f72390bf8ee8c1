"""Template helpers shared by every table."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from legalops.core.listing import Listing

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
