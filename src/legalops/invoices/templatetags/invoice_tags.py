"""Template helpers of the invoice pages (shared by the staff pages and the portal)."""

from __future__ import annotations

import datetime
from typing import Any

from django import template

from legalops.invoices.models import State

register = template.Library()

_STATE_CLASS: dict[str, str] = {
    State.APPROVED: "ok",
    State.APPROVED_ADJUSTED: "ok",
    State.SENT_TO_AP: "ok",
    State.PAID: "ok",
    State.ON_HOLD: "warn",
    State.APPEALED: "warn",
    State.REJECTED: "bad",
    State.VOIDED: "bad",
}
_ACTION_CLASS = {"warn": "", "hold": "warn", "reduce": "warn", "reject-line": "bad"}


@register.filter
def state_class(state: str) -> str:
    return _STATE_CLASS.get(state, "")


@register.filter
def state_label(state: str) -> str:
    try:
        return str(State(state).label)
    except ValueError:
        return state


@register.filter
def action_class(action: str) -> str:
    return _ACTION_CLASS.get(action, "bad")


@register.filter
def evidence_items(evidence: Any) -> list[tuple[str, str]]:
    """A flag's evidence as (field, value) pairs for a definition list."""
    if not isinstance(evidence, dict):
        return []
    return [(str(k), _text(v)) for k, v in evidence.items()]


def _text(value: Any) -> str:
    if isinstance(value, list | tuple):
        return "; ".join(_text(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_text(v)}" for k, v in value.items())
    return str(value)


@register.filter
def duration_text(value: datetime.timedelta | None) -> str:
    """How long a state lasted, to the useful unit (cycle times are read in days)."""
    if value is None:
        return ""
    seconds = int(value.total_seconds())
    if seconds >= 86400:
        days = seconds // 86400
        return f"{days} day{'s' if days != 1 else ''}"
    if seconds >= 3600:
        return f"{seconds // 3600} h"
    return f"{max(seconds // 60, 0)} min"


@register.filter
def payload_text(payload: Any) -> str:
    """An audit payload in one line: `key: value` pairs, old -> new for changes."""
    if not isinstance(payload, dict):
        return ""
    parts = []
    for key, value in payload.items():
        if key in ("old", "new"):
            continue
        parts.append(f"{key}: {_text(value)}")
    old, new = payload.get("old") or {}, payload.get("new") or {}
    for key in new:
        parts.append(f"{key}: {_text(old.get(key, ''))} → {_text(new[key])}")
    return "; ".join(parts)
