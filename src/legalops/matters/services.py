"""Writes to matters: the matter itself, its team, status, firms, key dates, tasks, notes and
documents. Budgets, accruals and forecasts have their own modules beside this one.

Closing a matter asks every registered *close blocker* first: the invoices app registers one
that refuses while invoices are pending (`close_blocker_register`).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from legalops.accounts.models import Role, User
from legalops.accounts.permissions import Capability, require
from legalops.audit.events import Event
from legalops.audit.services import audit_record, changes
from legalops.core.money import MoneyError, currency, to_minor
from legalops.core.records import as_json, refuse_unknown, update_recorded
from legalops.matters.custom_fields import custom_values_clean
from legalops.matters.models import (
    FeeArrangement,
    FirmRole,
    KeyDate,
    LossProbability,
    Matter,
    MatterDocument,
    MatterFirm,
    MatterNote,
    MatterStatus,
    MatterTask,
    RiskRating,
)
from legalops.matters.selectors import can_manage_matter
from legalops.matters.types import matter_type_check
from legalops.vendors.models import LawFirm

MATTER_FIELDS = [
    "number",
    "name",
    "matter_type",
    "practice_area",
    "business_unit",
    "opened_on",
    "lead_attorney",
    "confidential",
    "description",
    "code_set",
    "gl_code",
    "currency",
    "risk_rating",
    "loss_probability",
    "exposure_minor",
    "reserve_minor",
    "outcome",
    "notes",
    "custom_fields",
]
CHOICES = {
    "risk_rating": ["", *RiskRating.values],
    "loss_probability": ["", *LossProbability.values],
}

# --- Close blockers ---------------------------------------------------------------------

CloseBlocker = Callable[[Matter], str | None]
_close_blockers: list[CloseBlocker] = []


def close_blocker_register(blocker: CloseBlocker) -> CloseBlocker:
    """Registers a check run before a matter closes; it returns why not, or None. The
    invoices app registers "N invoices are still pending" here."""
    if blocker not in _close_blockers:
        _close_blockers.append(blocker)
    return blocker


def close_blocker_unregister(blocker: CloseBlocker) -> None:
    if blocker in _close_blockers:
        _close_blockers.remove(blocker)


def matter_close_blockers(matter: Matter) -> list[str]:
    return [reason for blocker in _close_blockers if (reason := blocker(matter))]


# --- Matters ------------------------------------------------------------------------------


def _require_manage(actor: User | None, matter: Matter) -> None:
    require(actor, Capability.MANAGE_MATTERS)
    if not can_manage_matter(actor, matter):
        raise PermissionDenied("only legal ops and the matter's team may change this matter")


def amount_minor(value: Decimal | str | int | None, code: str, field: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        return to_minor(value, code)
    except MoneyError as exc:
        raise ValidationError({field: str(exc)}) from None


def _clean_matter(fields: dict[str, Any], current: Matter | None = None) -> dict[str, Any]:
    data = dict(fields)
    current_type = current.matter_type if current else ""
    if "matter_type" in data:
        matter_type_check(data["matter_type"] or "", keep=current_type)
    if current is None or "matter_type" in data or "custom_fields" in data:
        # A new type may require other fields: the values are checked against the type the
        # matter will have.
        values = data.get("custom_fields", current.custom_fields if current else {})
        data["custom_fields"] = custom_values_clean(
            data.get("matter_type", current_type), values or {}
        )
    for key, allowed in CHOICES.items():
        if key in data and (data[key] or "") not in allowed:
            raise ValidationError({key: f"one of {', '.join(a for a in allowed if a)}"})
    if "currency" in data:
        try:
            data["currency"] = currency(data["currency"]).code
        except MoneyError as exc:
            raise ValidationError({"currency": str(exc)}) from None
    for key in ("number", "name", "gl_code", "outcome"):
        if key in data:
            data[key] = (data[key] or "").strip()
    lead = data.get("lead_attorney")
    if lead is not None and lead.role not in (Role.ADMIN, Role.ATTORNEY):
        raise ValidationError({"lead_attorney": "the lead must be an in-house attorney"})
    return data


@transaction.atomic
def matter_create(
    *,
    actor: User | None,
    number: str,
    name: str,
    matter_type: str,
    opened_on: datetime.date,
    team: Iterable[User] = (),
    **fields: Any,
) -> Matter:
    """Legal ops and attorneys open matters; an attorney who opens one is on its team."""
    require(actor, Capability.MANAGE_MATTERS)
    data = _clean_matter(
        {"number": number, "name": name, "matter_type": matter_type, "opened_on": opened_on}
        | fields
    )
    if Matter.objects.filter(number=data["number"]).exists():
        raise ValidationError({"number": f"matter {data['number']} already exists"})
    matter = Matter(**data)
    matter.full_clean()
    matter.save()
    members = set(team)
    if actor is not None and actor.role == Role.ATTORNEY:
        members.add(actor)
    matter.team.set(members)
    audit_record(
        actor=actor, event=Event.MATTER_CREATED, target=matter, payload={"new": as_json(data)}
    )
    return matter


@transaction.atomic
def matter_update(*, actor: User | None, matter: Matter, **fields: Any) -> Matter:
    _require_manage(actor, matter)
    refuse_unknown(fields, MATTER_FIELDS)
    data = _clean_matter(fields, current=matter)
    if "number" in data and (
        Matter.objects.filter(number=data["number"]).exclude(pk=matter.pk).exists()
    ):
        raise ValidationError({"number": f"matter {data['number']} already exists"})
    return update_recorded(
        actor=actor, instance=matter, editable=MATTER_FIELDS, data=data, event=Event.MATTER_UPDATED
    )


@transaction.atomic
def matter_team_set(*, actor: User | None, matter: Matter, members: Iterable[User]) -> Matter:
    _require_manage(actor, matter)
    wanted = set(members)
    if any(m.role == Role.FIRM for m in wanted):
        raise ValidationError({"team": "firm users are never on a matter's in-house team"})
    old = sorted(matter.team.values_list("username", flat=True))
    matter.team.set(wanted)
    new = sorted(m.username for m in wanted)
    if old != new:
        audit_record(
            actor=actor,
            event=Event.MATTER_TEAM_CHANGED,
            target=matter,
            payload={"old": {"team": old}, "new": {"team": new}},
        )
    return matter


@transaction.atomic
def matter_status_change(
    *,
    actor: User | None,
    matter: Matter,
    status: str,
    on: datetime.date | None = None,
    outcome: str = "",
    reason: str = "",
) -> Matter:
    """Open, put on hold, close (refused while a close blocker objects) or reopen."""
    _require_manage(actor, matter)
    if status not in MatterStatus.values:
        raise ValidationError({"status": f"one of {', '.join(MatterStatus.values)}"})
    if status == matter.status:
        return matter
    day = on or timezone.localdate()
    if status == MatterStatus.CLOSED:
        blockers = matter_close_blockers(matter)
        if blockers:
            raise ValidationError({"status": [f"cannot close: {b}" for b in blockers]})
        if day < matter.opened_on:
            raise ValidationError({"closed_on": "a matter cannot close before it opened"})
        matter.closed_on = day
        matter.outcome = outcome.strip() or matter.outcome
    else:
        matter.closed_on = None
    old = matter.status
    matter.status = status
    matter.save(update_fields=["status", "closed_on", "outcome"])
    audit_record(
        actor=actor,
        event=Event.MATTER_STATUS_CHANGED,
        target=matter,
        payload={"old": {"status": old}, "new": {"status": status, "on": str(day)}},
        reason=reason or outcome,
    )
    return matter


def matter_close(
    *, actor: User | None, matter: Matter, on: datetime.date | None = None, outcome: str = ""
) -> Matter:
    return matter_status_change(
        actor=actor, matter=matter, status=MatterStatus.CLOSED, on=on, outcome=outcome
    )


def _clean_terms(firm: LawFirm, matter: Matter, terms: dict[str, Any]) -> dict[str, Any]:
    data = dict(terms)
    if data.get("role", FirmRole.LEAD) not in FirmRole.values:
        raise ValidationError({"role": f"one of {', '.join(FirmRole.values)}"})
    arrangement = data.get("fee_arrangement", FeeArrangement.HOURLY)
    if arrangement not in FeeArrangement.values:
        raise ValidationError({"fee_arrangement": f"one of {', '.join(FeeArrangement.values)}"})
    if "fee_amount" in data:
        data["fee_amount_minor"] = amount_minor(data.pop("fee_amount"), firm.currency, "fee_amount")
    needs_amount = arrangement in (FeeArrangement.CAPPED, FeeArrangement.FIXED)
    if needs_amount and not data.get("fee_amount_minor"):
        raise ValidationError({"fee_amount": f"a {arrangement} arrangement needs its amount"})
    if arrangement == FeeArrangement.BLENDED and not data.get("blended_rate"):
        raise ValidationError({"blended_rate": "a blended arrangement needs its rate"})
    return data


@transaction.atomic
def matter_firm_assign(
    *, actor: User | None, matter: Matter, firm: LawFirm, **terms: Any
) -> MatterFirm:
    """Assigns a firm (or updates its role and engagement terms)."""
    _require_manage(actor, matter)
    data = _clean_terms(firm, matter, terms)
    assignment, created = MatterFirm.objects.get_or_create(matter=matter, firm=firm, defaults=data)
    if not created:
        diff = changes(assignment, list(data), data)
        for key, value in data.items():
            setattr(assignment, key, value)
        assignment.save()
    audit_record(
        actor=actor,
        event=Event.MATTER_FIRM_ASSIGNED if created else Event.MATTER_FIRM_UPDATED,
        target=matter,
        payload={"new": {"firm": firm.pk, **as_json(data)}} if created else diff,
    )
    return assignment


def _item_added(actor: User | None, matter: Matter, kind: str, item: Any) -> None:
    audit_record(
        actor=actor,
        event=Event.MATTER_ITEM_ADDED,
        target=matter,
        payload={"new": {"kind": kind, "id": item.pk, "text": str(item)}},
    )


@transaction.atomic
def key_date_add(*, actor: User | None, matter: Matter, date: datetime.date, label: str) -> KeyDate:
    _require_manage(actor, matter)
    if not label.strip():
        raise ValidationError({"label": "is required"})
    item = KeyDate.objects.create(matter=matter, date=date, label=label.strip())
    _item_added(actor, matter, "key date", item)
    return item


@transaction.atomic
def task_add(
    *,
    actor: User | None,
    matter: Matter,
    title: str,
    assignee: User | None = None,
    due_on: datetime.date | None = None,
) -> MatterTask:
    _require_manage(actor, matter)
    if not title.strip():
        raise ValidationError({"title": "is required"})
    item = MatterTask.objects.create(
        matter=matter, title=title.strip(), assignee=assignee, due_on=due_on
    )
    _item_added(actor, matter, "task", item)
    return item


@transaction.atomic
def task_complete(*, actor: User | None, task: MatterTask) -> MatterTask:
    _require_manage(actor, task.matter)
    if task.done_at is None:
        task.done_at = timezone.now()
        task.save(update_fields=["done_at"])
        audit_record(
            actor=actor,
            event=Event.MATTER_ITEM_UPDATED,
            target=task.matter,
            payload={"new": {"kind": "task", "id": task.pk, "done": True}},
        )
    return task


@transaction.atomic
def note_add(*, actor: User | None, matter: Matter, text: str) -> MatterNote:
    _require_manage(actor, matter)
    if not text.strip():
        raise ValidationError({"text": "is required"})
    item = MatterNote.objects.create(matter=matter, author=actor, text=text.strip())
    _item_added(actor, matter, "note", item)
    return item


@transaction.atomic
def document_add(
    *, actor: User | None, matter: Matter, title: str, file: UploadedFile
) -> MatterDocument:
    _require_manage(actor, matter)
    document = MatterDocument(
        matter=matter, title=title.strip() or str(file.name), uploaded_by=actor
    )
    document.file.save(str(file.name), file, save=False)
    document.save()
    _item_added(actor, matter, "document", document)
    return document
