"""Reads of the audit trail (administrators only)."""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet

from legalops.accounts.models import User
from legalops.accounts.permissions import Capability, has_capability
from legalops.audit.models import AuditEvent


def audit_event_list(
    *,
    user: User,
    event_type: str = "",
    actor: str = "",
    target_type: str = "",
    target_id: str = "",
    search: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet[AuditEvent]:
    if not has_capability(user, Capability.VIEW_AUDIT):
        return AuditEvent.objects.none()
    events = AuditEvent.objects.all()
    if event_type:
        events = events.filter(event_type__startswith=event_type)
    if actor:
        events = events.filter(actor_name__iexact=actor)
    if target_type:
        events = events.filter(target_type=target_type)
    if target_id:
        events = events.filter(target_id=target_id)
    if search:
        events = events.filter(Q(target_repr__icontains=search) | Q(reason__icontains=search))
    if date_from:
        events = events.filter(occurred_at__date__gte=date_from)
    if date_to:
        events = events.filter(occurred_at__date__lte=date_to)
    return events


def audit_target_types() -> list[str]:
    return list(
        AuditEvent.objects.order_by("target_type").values_list("target_type", flat=True).distinct()
    )
