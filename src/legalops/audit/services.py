"""Writing audit events. Services call `audit_record` inside their own transaction."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models, transaction

from legalops.audit.events import Event
from legalops.audit.models import AuditEvent

if TYPE_CHECKING:
    from legalops.accounts.models import User


class AuditOutsideTransactionError(RuntimeError):
    """An audit event must be written in the transaction of the change it records."""


def audit_record(
    *,
    actor: User | None,
    event: Event,
    target: models.Model | None = None,
    payload: dict[str, Any] | None = None,
    reason: str = "",
) -> AuditEvent:
    if not transaction.get_connection().in_atomic_block:
        raise AuditOutsideTransactionError(f"{event} recorded outside a transaction")
    return AuditEvent.objects.create(
        actor=actor,
        actor_name=actor.get_username() if actor else "system",
        event_type=str(event),
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_repr=str(target)[:255] if target is not None else "",
        payload=payload or {},
        reason=reason,
    )


def changes(instance: models.Model, fields: list[str], new: dict[str, Any]) -> dict[str, Any]:
    """`{"old": {...}, "new": {...}}` for the fields whose value differs, JSON-ready."""
    old_values = {f: _jsonable(getattr(instance, f)) for f in fields}
    new_values = {f: _jsonable(new[f]) for f in fields if f in new}
    changed = [f for f in new_values if old_values[f] != new_values[f]]
    return {"old": {f: old_values[f] for f in changed}, "new": {f: new_values[f] for f in changed}}


def _jsonable(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if value is None or isinstance(value, bool | int | str | float):
        return value
    return str(value)
