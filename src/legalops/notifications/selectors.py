"""Reads of a user's own notifications (nobody sees another person's)."""

from __future__ import annotations

from django.db.models import QuerySet

from legalops.accounts.models import User
from legalops.notifications.models import EmailPreference, Kind, Notification


def notification_list(
    *, user: User, kind: str = "", unread: bool = False
) -> QuerySet[Notification]:
    rows = Notification.objects.filter(user=user)
    if kind:
        rows = rows.filter(kind=kind)
    if unread:
        rows = rows.filter(read_at__isnull=True)
    return rows


def unread_count(user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def email_preferences(user: User) -> dict[str, bool]:
    """Every kind with whether the user gets it by email (on unless switched off)."""
    off = set(EmailPreference.objects.filter(user=user, email=False).values_list("kind", flat=True))
    return {kind: kind not in off for kind in Kind.values}
