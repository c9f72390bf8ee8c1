"""Platform tasks: sending mail off the request path, and housekeeping run by the periodic
schedule of `legalops worker`."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.sessions.models import Session
from django.core.mail import send_mail
from django.tasks import task
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from legalops.accounts.services import login_failures_prune
from legalops.core.models import ScheduledRun
from legalops.core.schedule import periodic

RETENTION = timedelta(days=30)


@task()
def send_mail_task(subject: str, message: str, recipients: list[str]) -> int:
    """Mail is sent by the worker, so a slow or unreachable SMTP server never fails the request
    that caused it; a failed send stays visible as a failed task result."""
    return send_mail(subject=subject, message=message, from_email=None, recipient_list=recipients)


@periodic("clear-expired-sessions", "daily", "Delete expired browser sessions.")
def clear_expired_sessions() -> str:
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return f"{deleted} expired sessions deleted"


@periodic("prune-login-failures", "daily", "Forget failed sign-ins older than 30 days.")
def prune_login_failures() -> str:
    return f"{login_failures_prune(older_than=RETENTION)} old failed sign-ins deleted"


@periodic("prune-task-results", "daily", "Delete finished background-task results after 30 days.")
def prune_task_results() -> str:
    cutoff = timezone.now() - RETENTION
    deleted, _ = DBTaskResult.objects.filter(finished_at__lt=cutoff).delete()
    runs, _ = ScheduledRun.objects.filter(started_at__lt=cutoff - RETENTION).delete()
    return f"{deleted} task results and {runs} schedule records deleted"
