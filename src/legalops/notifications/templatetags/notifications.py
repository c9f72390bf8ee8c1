"""`{% notification_bell %}`: the bell with the unread count in the top bar (base.html)."""

from __future__ import annotations

from typing import Any

from django import template

from legalops.notifications.selectors import unread_count

register = template.Library()


@register.inclusion_tag("notifications/_bell.html", takes_context=True)
def notification_bell(context: Any) -> dict[str, Any]:
    user = context.get("user")
    count = unread_count(user) if user is not None and user.is_authenticated else 0
    return {"count": count, "show": user is not None and user.is_authenticated}
