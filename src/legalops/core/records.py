"""The shared tail of an edit service: apply the cleaned fields, validate, save, and record
what changed (one audit event, only when something did)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import models

from legalops.audit.events import Event
from legalops.audit.services import audit_record, changes

if TYPE_CHECKING:
    from legalops.accounts.models import User


def as_json(data: dict[str, Any]) -> dict[str, Any]:
    """Audit payload values: JSON types as they are, dates, decimals and rows as text/pk."""
    plain = (str, int, bool, list, type(None))
    return {
        k: v if isinstance(v, plain) else getattr(v, "pk", None) or str(v) for k, v in data.items()
    }


def refuse_unknown(fields: dict[str, Any], editable: list[str]) -> None:
    unknown = set(fields) - set(editable)
    if unknown:
        raise ValidationError(f"fields that cannot be edited: {', '.join(sorted(unknown))}")


def update_recorded[M: models.Model](
    *, actor: User | None, instance: M, editable: list[str], data: dict[str, Any], event: Event
) -> M:
    """Call inside the service's transaction, after its permission check and cleaning."""
    diff = changes(instance, editable, data)
    for key, value in data.items():
        setattr(instance, key, value)
    instance.full_clean()
    instance.save()
    if diff["new"]:
        audit_record(actor=actor, event=event, target=instance, payload=diff)
    return instance


def create_recorded[M: models.Model](
    *, actor: User | None, instance: M, data: dict[str, Any], event: Event
) -> M:
    """Validates and saves a new row built from `data`, recording its values."""
    instance.full_clean()
    instance.save()
    audit_record(
        actor=actor, event=event, target=instance, payload={"old": {}, "new": as_json(data)}
    )
    return instance
