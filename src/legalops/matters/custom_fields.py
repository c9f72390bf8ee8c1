"""Custom matter fields: which apply to a matter, checking and normalising their values (from
the form, the API or an import alike), and the admins' edits of the fields themselves.

Values are stored as JSON on the matter: text as text, numbers as exact decimal strings, dates
as ISO strings, a choice as its option, yes/no as a boolean. Only the fields that apply to the
matter's type are kept (global ones and its type's).
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet

from legalops.accounts.models import User
from legalops.accounts.permissions import Capability, require
from legalops.audit.events import Event
from legalops.matters.models import Matter, MatterField, MatterTypeDef
from legalops.matters.types import row_save

Kind = MatterField.Kind
TRUE, FALSE = {"true", "yes", "y", "1", "on"}, {"false", "no", "n", "0", "off", ""}


def field_list(*, active_only: bool = True) -> QuerySet[MatterField]:
    fields = MatterField.objects.all()
    return fields.filter(active=True) if active_only else fields


def fields_for(matter_type: str) -> list[MatterField]:
    """The active fields of every matter and of this type's, in the admins' order."""
    return list(field_list().filter(Q(matter_type="") | Q(matter_type=matter_type)))


def display_rows(matter: Matter) -> list[tuple[str, str]]:
    """(label, value as shown) of the fields that apply to the matter, in order."""
    rows = []
    for field in fields_for(matter.matter_type):
        value = matter.custom_fields.get(field.key)
        if field.kind == Kind.BOOLEAN and value is not None:
            value = "yes" if value else "no"
        rows.append((field.label, "" if value is None else str(value)))
    return rows


def custom_value(field: MatterField, raw: Any) -> Any:
    """The stored form of one value; ValueError with what it must be."""
    if field.kind == Kind.BOOLEAN:
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text not in TRUE | FALSE:
            raise ValueError("yes or no")
        return text in TRUE
    text = raw.isoformat() if isinstance(raw, datetime.date) else str(raw).strip()
    if field.kind == Kind.NUMBER:
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError("a number") from None
        if not number.is_finite():
            raise ValueError("a number")
        return str(number)
    if field.kind == Kind.DATE:
        try:
            return datetime.date.fromisoformat(text).isoformat()
        except ValueError:
            raise ValueError("a date (YYYY-MM-DD)") from None
    if field.kind == Kind.CHOICE and text not in field.choices:
        raise ValueError(f"one of {', '.join(field.choices)}")
    return text


def _empty(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def custom_values_clean(matter_type: str, values: dict[str, Any]) -> dict[str, Any]:
    """The values of the fields that apply to `matter_type`, normalised; values of another
    type's fields are dropped (the form carries every field; a type change leaves the old
    type's values behind). A ValidationError on `custom_fields` names every key that is no
    field at all, and every applicable field that is missing or wrong."""
    fields = {field.key: field for field in fields_for(matter_type)}
    known = set(MatterField.objects.filter(key__in=list(values)).values_list("key", flat=True))
    problems = [f"{key}: no such field" for key in values if key not in known]
    clean: dict[str, Any] = {}
    for key, field in fields.items():
        raw = values.get(key)
        if _empty(raw) or (field.kind == Kind.BOOLEAN and raw is None):
            if field.required and field.kind != Kind.BOOLEAN:
                problems.append(f"{key}: {field.label} is required")
            continue
        try:
            clean[key] = custom_value(field, raw)
        except ValueError as exc:
            problems.append(f"{key}: {field.label} must be {exc}")
    if problems:
        raise ValidationError({"custom_fields": problems})
    return clean


def _check_field(data: dict[str, Any]) -> None:
    if data["matter_type"] and not MatterTypeDef.objects.filter(code=data["matter_type"]).exists():
        raise ValidationError({"matter_type": f"no matter type {data['matter_type']}"})
    if data["kind"] == Kind.CHOICE and not data["choices"]:
        raise ValidationError({"choices": "a choice field needs its options"})
    if data["kind"] != Kind.CHOICE:
        data["choices"] = []


@transaction.atomic
def matter_field_save(
    *,
    actor: User | None,
    field: MatterField | None = None,
    key: str,
    label: str,
    kind: str,
    required: bool = False,
    choices: list[str] | tuple[str, ...] = (),
    matter_type: str = "",
    active: bool = True,
    order: int = 0,
) -> MatterField:
    """Adds or edits a custom field. Its key never changes (matters store values by it)."""
    require(actor, Capability.MANAGE_ORGANIZATION)
    row = field or MatterField()
    key = key.strip().lower()
    if row.pk is not None and key != row.key:
        raise ValidationError({"key": "a field's key cannot change (matters store it)"})
    if row.pk is None and MatterField.objects.filter(key=key).exists():
        raise ValidationError({"key": f"field {key} already exists"})
    data: dict[str, Any] = {
        "key": key,
        "label": label.strip(),
        "kind": kind,
        "required": required,
        "choices": [c.strip() for c in choices if c.strip()],
        "matter_type": matter_type,
        "active": active,
        "order": order,
    }
    _check_field(data)
    return row_save(actor, row, data, Event.MATTER_FIELD_CREATED, Event.MATTER_FIELD_UPDATED)
