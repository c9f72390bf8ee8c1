"""Scheduled report packs: who may manage them, who may receive them, and the writes that set
them up (create, edit, pause, delete). Sending lives in `reports.packs_mail`.

Managing is for legal operations (Capability.MANAGE_REPORTS: admins). A recipient must be an
active user whose role may read reports (admins, approvers, attorneys); firm users and
requesters never qualify. Each recipient's pack is built under that recipient's own
permissions, so an attorney's pack holds only the matters they may see.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet

from legalops.accounts.models import User
from legalops.accounts.permissions import (
    ROLE_CAPABILITIES,
    Capability,
    has_capability,
    require,
)
from legalops.audit.events import Event
from legalops.audit.services import audit_record, changes
from legalops.matters.types import matter_type_choices
from legalops.organization.models import BusinessUnit, PracticeArea
from legalops.reports.models import PackPeriod, ReportSend, ReportSubscription
from legalops.reports.views_pages import PAGES
from legalops.vendors.models import LawFirm

FIELDS = [
    "name",
    "pages",
    "pdf",
    "xlsx",
    "period",
    "firm",
    "practice_area",
    "business_unit",
    "matter_type",
    "is_active",
]
READER_ROLES = sorted(
    role for role, caps in ROLE_CAPABILITIES.items() if Capability.VIEW_REPORTS in caps
)


# Reads


def report_subscription_list(*, user: User | None) -> QuerySet[ReportSubscription]:
    require(user, Capability.MANAGE_REPORTS)
    return ReportSubscription.objects.select_related(
        "firm", "practice_area", "business_unit", "created_by"
    ).prefetch_related("recipients")


def report_send_list(
    *, user: User | None, subscription: ReportSubscription | None = None
) -> QuerySet[ReportSend]:
    require(user, Capability.MANAGE_REPORTS)
    sends = ReportSend.objects.select_related("subscription", "sent_by")
    return sends.filter(subscription=subscription) if subscription else sends


def report_recipient_choices() -> QuerySet[User]:
    """The users a pack may go to: active, and of a role that reads reports."""
    return User.objects.filter(is_active=True, role__in=READER_ROLES).order_by("username")


def recipient_refusal(user: User) -> str:
    """Why `user` may not receive a pack now ("" when they may): checked when the subscription
    is saved and again at every send, since a role or an address can change in between."""
    if not user.is_active:
        return f"{user.get_username()} is deactivated"
    if not has_capability(user, Capability.VIEW_REPORTS):
        return f"{user.get_username()} ({user.get_role_display()}) may not view reports"
    if not user.email:
        return f"{user.get_username()} has no email address"
    return ""


# Writes


@transaction.atomic
def report_subscription_create(
    *, actor: User | None, recipients: Iterable[User], **data: Any
) -> ReportSubscription:
    require(actor, Capability.MANAGE_REPORTS)
    clean = _checked(data)
    people = _checked_recipients(recipients)
    subscription = ReportSubscription.objects.create(created_by=actor, **clean)
    subscription.recipients.set(people)
    audit_record(
        actor=actor,
        event=Event.REPORT_SUBSCRIPTION_CREATED,
        target=subscription,
        payload={"new": {**_jsonable(clean), "recipients": _names(people)}},
    )
    return subscription


@transaction.atomic
def report_subscription_update(
    *,
    actor: User | None,
    subscription: ReportSubscription,
    recipients: Iterable[User],
    **data: Any,
) -> ReportSubscription:
    require(actor, Capability.MANAGE_REPORTS)
    clean = _checked({**{f: getattr(subscription, f) for f in FIELDS}, **data})
    people = _checked_recipients(recipients)
    payload = changes(subscription, FIELDS, clean)
    before = _names(subscription.recipients.all())
    if before != _names(people):
        payload.setdefault("old", {})["recipients"] = before
        payload.setdefault("new", {})["recipients"] = _names(people)
    for name, value in clean.items():
        setattr(subscription, name, value)
    subscription.save()
    subscription.recipients.set(people)
    if payload.get("new"):
        audit_record(
            actor=actor,
            event=Event.REPORT_SUBSCRIPTION_UPDATED,
            target=subscription,
            payload=payload,
        )
    return subscription


@transaction.atomic
def report_subscription_pause(
    *, actor: User | None, subscription: ReportSubscription, active: bool
) -> ReportSubscription:
    """Pauses (active=False) or resumes a subscription; a paused one is skipped by the
    monthly job but can still be sent by hand."""
    require(actor, Capability.MANAGE_REPORTS)
    if subscription.is_active != active:
        payload = {"old": {"is_active": subscription.is_active}, "new": {"is_active": active}}
        subscription.is_active = active
        subscription.save(update_fields=["is_active"])
        audit_record(
            actor=actor,
            event=Event.REPORT_SUBSCRIPTION_UPDATED,
            target=subscription,
            payload=payload,
        )
    return subscription


@transaction.atomic
def report_subscription_delete(*, actor: User | None, subscription: ReportSubscription) -> None:
    """Deletes the subscription and its send history (the audit trail keeps the deletion)."""
    require(actor, Capability.MANAGE_REPORTS)
    audit_record(
        actor=actor,
        event=Event.REPORT_SUBSCRIPTION_DELETED,
        target=subscription,
        payload={"old": {"name": subscription.name, "sends": subscription.sends.count()}},
    )
    subscription.delete()


def _checked(data: dict[str, Any]) -> dict[str, Any]:
    """The subscription's fields, validated; a ValidationError names each bad field."""
    unknown = set(data) - set(FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {', '.join(sorted(unknown))}")
    clean = {
        "name": str(data.get("name", "")).strip(),
        "pages": [key for key in PAGES if key in set(data.get("pages") or ())],
        "pdf": bool(data.get("pdf", True)),
        "xlsx": bool(data.get("xlsx", False)),
        "period": data.get("period") or PackPeriod.MONTH,
        "firm": data.get("firm"),
        "practice_area": data.get("practice_area"),
        "business_unit": data.get("business_unit"),
        "matter_type": data.get("matter_type") or "",
        "is_active": bool(data.get("is_active", True)),
    }
    errors = _errors(clean, data)
    if errors:
        raise ValidationError(errors)
    return clean


def _errors(clean: dict[str, Any], data: dict[str, Any]) -> dict[str, str]:
    errors = {}
    if not clean["name"]:
        errors["name"] = "Give the pack a name."
    unknown_pages = set(data.get("pages") or ()) - set(PAGES)
    if not clean["pages"] or unknown_pages:
        errors["pages"] = f"Choose one or more of {', '.join(PAGES)}."
    if not clean["pdf"] and not clean["xlsx"]:
        errors["pdf"] = "Choose the PDF, the Excel workbook or both."
    if clean["period"] not in PackPeriod.values:
        errors["period"] = f"One of {', '.join(PackPeriod.values)}."
    for name, model in (
        ("firm", LawFirm),
        ("practice_area", PracticeArea),
        ("business_unit", BusinessUnit),
    ):
        if clean[name] is not None and not isinstance(clean[name], model):
            errors[name] = f"Not a {model._meta.verbose_name}."
    codes = [code for code, _ in matter_type_choices(inactive=True)]
    if clean["matter_type"] and clean["matter_type"] not in codes:
        errors["matter_type"] = f"One of {', '.join(codes)}."
    return errors


def _checked_recipients(recipients: Iterable[User]) -> list[User]:
    people = list({user.pk: user for user in recipients}.values())
    if not people:
        raise ValidationError({"recipients": "Choose at least one recipient."})
    refused = [reason for user in people if (reason := recipient_refusal(user))]
    if refused:
        raise ValidationError({"recipients": "; ".join(refused) + "."})
    return people


def _names(users: Iterable[User]) -> list[str]:
    return sorted(user.get_username() for user in users)


def _jsonable(clean: dict[str, Any]) -> dict[str, Any]:
    return {k: getattr(v, "pk", v) for k, v in clean.items()}
