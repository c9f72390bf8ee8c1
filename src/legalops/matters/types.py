"""Configurable matter types (Admin > Matter types): reading the choices offered, checking a
matter's type, and the admins' edits.

Until an installation has any type rows (a database flushed by a tool, say) the shipped types
apply, as the shipped guidelines apply before any version is published.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model, QuerySet

from legalops.accounts.models import User
from legalops.accounts.permissions import Capability, require
from legalops.audit.events import Event
from legalops.core.records import create_recorded, update_recorded
from legalops.matters.models import MatterType, MatterTypeDef


def matter_type_list() -> QuerySet[MatterTypeDef]:
    return MatterTypeDef.objects.all()


def matter_type_choices(*, keep: str = "", inactive: bool = False) -> list[tuple[str, str]]:
    """The active types in the admins' order, plus `keep` (a matter's current type, even if
    it was deactivated since) so that editing the matter does not silently change it; every
    type with `inactive` (filters of lists)."""
    rows = list(MatterTypeDef.objects.values_list("code", "name", "active"))
    if not rows:
        return [(str(code), str(name)) for code, name in MatterType.choices]
    return [(code, name) for code, name, active in rows if active or inactive or code == keep]


def matter_type_codes() -> list[str]:
    return [code for code, _ in matter_type_choices()]


def matter_type_check(code: str, *, keep: str = "") -> str:
    """The code if it is an active type (or `keep`); a ValidationError naming the field."""
    allowed = [c for c, _ in matter_type_choices(keep=keep)]
    if code not in allowed:
        raise ValidationError({"matter_type": f"one of {', '.join(allowed)}"})
    return code


@transaction.atomic
def matter_type_save(
    *,
    actor: User | None,
    matter_type: MatterTypeDef | None = None,
    code: str,
    name: str,
    active: bool = True,
    order: int = 0,
) -> MatterTypeDef:
    """Creates a type or renames/reorders/(de)activates one; its code never changes, since
    matters, routing rules and guidelines overrides store it."""
    require(actor, Capability.MANAGE_ORGANIZATION)
    row = matter_type or MatterTypeDef()
    code = code.strip().lower()
    if row.pk is not None and code != row.code:
        raise ValidationError({"code": "a type's code cannot change (matters store it)"})
    if row.pk is None and MatterTypeDef.objects.filter(code=code).exists():
        raise ValidationError({"code": f"type {code} already exists"})
    fields = {"code": code, "name": name.strip(), "active": active, "order": order}
    return row_save(actor, row, fields, Event.MATTER_TYPE_CREATED, Event.MATTER_TYPE_UPDATED)


def row_save[M: Model](
    actor: User | None, row: M, data: dict[str, Any], created: Event, updated: Event
) -> M:
    """Saves a new or edited configuration row with its audit event (matter types, fields)."""
    if row.pk is not None:
        return update_recorded(
            actor=actor, instance=row, editable=list(data), data=data, event=updated
        )
    for key, value in data.items():
        setattr(row, key, value)
    return create_recorded(actor=actor, instance=row, data=data, event=created)
