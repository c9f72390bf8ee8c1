"""Writing notifications. Other apps call `notify` inside the transaction of the change that
causes it: the in-app rows commit with that change, and mail is queued only after the commit
(`core.tasks.send_mail_task`, one message per recipient so addresses are never shared)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from legalops.accounts.models import User
from legalops.audit.events import Event
from legalops.audit.services import audit_record
from legalops.notifications.models import EmailPreference, Kind, Notification

LOCAL_HOSTS = ("127.0.0.1", "localhost")


def notify(
    *,
    users: Iterable[User | None],
    kind: Kind,
    title: str,
    body: str = "",
    url: str = "",
    email: bool = True,
) -> list[Notification]:
    """One in-app notification per active user (duplicates and None dropped); email to those
    who have not switched this kind off. `email=False` when the caller mails by itself."""
    recipients = {u.pk: u for u in users if u is not None and u.is_active}
    if not recipients:
        return []
    rows = Notification.objects.bulk_create(
        Notification(user=user, kind=kind, title=title[:255], body=body, url=url)
        for user in recipients.values()
    )
    if email:
        off = _email_off(list(recipients), kind)
        addresses = [u.email for u in recipients.values() if u.email and u.pk not in off]
        if addresses:
            transaction.on_commit(partial(_mail, title, body, url, addresses))
    return rows


def _email_off(user_ids: list[int], kind: str) -> set[int]:
    rows = EmailPreference.objects.filter(user_id__in=user_ids, kind=kind, email=False)
    return set(rows.values_list("user_id", flat=True))


def email_wanted(user: User, kind: Kind) -> bool:
    """For apps that send their own mail (budget alerts): has the user kept this kind on?"""
    return not _email_off([user.pk], kind)


def site_link(path: str) -> str:
    """An absolute link for mail, built from the first LEGALOPS_ALLOWED_HOSTS name (mail has
    no request to take the host from); `legalops serve` listens on :8000 locally."""
    if not path:
        return ""
    host = settings.ALLOWED_HOSTS[0] if settings.ALLOWED_HOSTS else "localhost"
    scheme = "https" if settings.SECURE_SSL_REDIRECT else "http"
    port = ":8000" if host in LOCAL_HOSTS else ""
    return f"{scheme}://{host}{port}{path}"


def _mail(title: str, body: str, url: str, addresses: list[str]) -> None:
    from legalops.core.tasks import send_mail_task  # core imports accounts: import late

    link = site_link(url)
    message = "\n\n".join(part for part in (body, f"Open it: {link}" if link else "") if part)
    footer = "You can switch these emails off under Notifications > Email preferences."
    for address in addresses:
        send_mail_task.enqueue(
            subject=title, message=f"{message}\n\n-- \n{footer}\n", recipients=[address]
        )


# Reading marks are per-user display state, not business data: no audit event for them.


def notification_read(*, actor: User, notification: Notification) -> Notification:
    if notification.user_id != actor.pk:
        raise PermissionDenied("not your notification")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_read_all(*, actor: User) -> int:
    return Notification.objects.filter(user=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def email_preferences_set(*, actor: User, email_kinds: Iterable[str]) -> set[str]:
    """Email stays on for the kinds given and goes off for every other kind."""
    wanted = {str(k) for k in email_kinds}
    unknown = wanted - set(Kind.values)
    if unknown:
        raise ValidationError(f"unknown notification kinds: {', '.join(sorted(unknown))}")
    before = {k for k in Kind.values if email_wanted(actor, Kind(k))}
    for kind in Kind.values:
        EmailPreference.objects.update_or_create(
            user=actor, kind=kind, defaults={"email": kind in wanted}
        )
    if before != wanted:
        audit_record(
            actor=actor,
            event=Event.NOTIFICATION_PREFERENCES_SET,
            target=actor,
            payload={"old": {"email": sorted(before)}, "new": {"email": sorted(wanted)}},
        )
    return wanted
