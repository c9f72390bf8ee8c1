"""Accruals: once a month each firm reports the work it has done but not yet billed (WIP) on
every open matter it is assigned to (zero is an answer, and a required one). The window opens
on day `LEGALOPS_ACCRUAL_OPEN_DAY` (default 20) of the month accrued and closes at the end of
day `LEGALOPS_ACCRUAL_DEADLINE_DAY` (default 5) of the next month; firms with missing answers
are reminded daily in the last `LEGALOPS_ACCRUAL_REMIND_DAYS` (default 3) days; after the
deadline the period is locked. Finance exports the result as CSV.
"""

from __future__ import annotations

import csv
import datetime
import io
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet, Sum
from django.utils import timezone

from legalops.accounts.models import Role, User
from legalops.accounts.permissions import Capability, require
from legalops.audit.events import Event
from legalops.audit.services import audit_record
from legalops.core.money import format_minor
from legalops.matters.models import Accrual, AccrualPeriod, Matter, MatterFirm, PeriodStatus
from legalops.matters.selectors import open_assignments
from legalops.matters.services import amount_minor
from legalops.vendors.models import ContactRole, LawFirm

logger = logging.getLogger(__name__)


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def window_for(month: datetime.date) -> tuple[datetime.date, datetime.date]:
    """(opens_on, deadline) of the period accruing `month`."""
    first = month.replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    opens = first.replace(day=min(_setting("LEGALOPS_ACCRUAL_OPEN_DAY", 20), 28))
    deadline = following.replace(day=min(_setting("LEGALOPS_ACCRUAL_DEADLINE_DAY", 5), 28))
    return opens, deadline


@transaction.atomic
def accrual_period_open(
    *,
    actor: User | None,
    month: datetime.date,
    opens_on: datetime.date | None = None,
    deadline: datetime.date | None = None,
) -> AccrualPeriod:
    require(actor, Capability.MANAGE_ACCRUALS)
    first = month.replace(day=1)
    default_open, default_deadline = window_for(first)
    if AccrualPeriod.objects.filter(month=first).exists():
        raise ValidationError({"month": f"the {first:%Y-%m} accrual period already exists"})
    period = AccrualPeriod.objects.create(
        month=first, opens_on=opens_on or default_open, deadline=deadline or default_deadline
    )
    if period.deadline < period.opens_on:
        raise ValidationError({"deadline": "the deadline is before the window opens"})
    audit_record(
        actor=actor,
        event=Event.ACCRUAL_PERIOD_OPENED,
        target=period,
        payload={"new": {"month": str(first), "deadline": str(period.deadline)}},
    )
    return period


@transaction.atomic
def accrual_period_lock(*, actor: User | None, period: AccrualPeriod) -> AccrualPeriod:
    require(actor, Capability.MANAGE_ACCRUALS)
    if period.status == PeriodStatus.LOCKED:
        return period
    period.status, period.locked_at = PeriodStatus.LOCKED, timezone.now()
    period.save(update_fields=["status", "locked_at"])
    missing = len(missing_reports(period))
    audit_record(
        actor=actor,
        event=Event.ACCRUAL_PERIOD_LOCKED,
        target=period,
        payload={"new": {"status": "locked", "missing": missing}},
    )
    return period


def _require_reporter(actor: User | None, firm: LawFirm) -> None:
    if actor is not None and actor.role == Role.FIRM:
        require(actor, Capability.FIRM_SUBMIT)
        if actor.firm_id != firm.pk:
            raise PermissionDenied("you may only report your own firm's accruals")
        return
    require(actor, Capability.MANAGE_ACCRUALS)


@transaction.atomic
def accrual_report(
    *,
    actor: User | None,
    period: AccrualPeriod,
    matter: Matter,
    firm: LawFirm,
    current: Decimal,
    prior: Decimal = Decimal(0),
    note: str = "",
) -> Accrual:
    """Records (or corrects, while the window is open) a firm's unbilled work on a matter."""
    _require_reporter(actor, firm)
    if period.status == PeriodStatus.LOCKED:
        raise ValidationError(f"the {period.month:%Y-%m} accrual period is locked")
    if not MatterFirm.objects.filter(matter=matter, firm=firm).exists():
        raise ValidationError({"matter": f"{firm.name} is not assigned to {matter.number}"})
    code = firm.currency
    current_minor = amount_minor(current, code, "current")
    prior_minor = amount_minor(prior, code, "prior") or 0
    if current_minor is None or current_minor < 0 or prior_minor < 0:
        raise ValidationError({"current": "amounts are zero or more"})
    values = {"current_minor": current_minor, "prior_minor": prior_minor}
    accrual, created = Accrual.objects.update_or_create(
        period=period,
        matter=matter,
        firm=firm,
        defaults={
            **values,
            "currency": code,
            "note": note.strip()[:500],
            "reported_by": actor,
            "reported_at": timezone.now(),
        },
    )
    audit_record(
        actor=actor,
        event=Event.ACCRUAL_REPORTED,
        target=accrual,
        payload={"new": {**values, "currency": code, "created": created}},
    )
    return accrual


def expected_reports(period: AccrualPeriod) -> QuerySet[MatterFirm]:
    """Every active assignment on a matter that is not closed: each owes an answer."""
    return (
        open_assignments()
        .filter(matter__opened_on__lte=period.deadline)
        .order_by("firm__name", "matter__number")
    )


def missing_reports(period: AccrualPeriod, *, firm_id: int | None = None) -> list[MatterFirm]:
    answered = Accrual.objects.filter(
        period=period, matter_id=OuterRef("matter_id"), firm_id=OuterRef("firm_id")
    )
    rows = expected_reports(period).exclude(Exists(answered))
    return list(rows.filter(firm_id=firm_id) if firm_id is not None else rows)


# --- Periodic work ------------------------------------------------------------------------


def accrual_periods_open_due(*, today: datetime.date) -> str:
    """Opens this month's period once its window has begun."""
    month = today.replace(day=1)
    opens, _ = window_for(month)
    if today < opens or AccrualPeriod.objects.filter(month=month).exists():
        return "no period to open"
    period = accrual_period_open(actor=None, month=month)
    return f"opened {period}"


def accrual_periods_lock_due(*, today: datetime.date) -> str:
    due = AccrualPeriod.objects.filter(status=PeriodStatus.OPEN, deadline__lt=today)
    locked = [accrual_period_lock(actor=None, period=p) for p in due]
    return f"locked {len(locked)} accrual periods"


def accrual_reminders_send(*, today: datetime.date) -> int:
    """Mails the firm users and billing contacts of every firm with missing answers, in the
    last days before a deadline. Returns the number of firms reminded."""
    window = datetime.timedelta(days=_setting("LEGALOPS_ACCRUAL_REMIND_DAYS", 3))
    periods = AccrualPeriod.objects.filter(
        status=PeriodStatus.OPEN, opens_on__lte=today, deadline__gte=today
    ).filter(deadline__lte=today + window)
    reminded = 0
    for period in periods:
        reminded += _remind(period)
    return reminded


@transaction.atomic
def _remind(period: AccrualPeriod) -> int:
    by_firm: dict[int, list[MatterFirm]] = defaultdict(list)
    for assignment in missing_reports(period):
        by_firm[assignment.firm_id].append(assignment)
    messages = [_reminder(period, rows) for rows in by_firm.values()]
    messages = [m for m in messages if m[3]]
    if by_firm:
        audit_record(
            actor=None,
            event=Event.ACCRUAL_REMINDERS_SENT,
            target=period,
            payload={"new": {"firms": len(by_firm), "mails": len(messages)}},
        )
        transaction.on_commit(partial(_send_all, messages))
    return len(by_firm)


def _send_all(messages: list[tuple[str, str, None, list[str]]]) -> None:
    """One mail per firm; a failing mail server must not stop the other reminders."""
    for subject, body, _, recipients in messages:
        try:
            send_mail(subject=subject, message=body, from_email=None, recipient_list=recipients)
        except Exception:  # noqa: BLE001 - logged; the next run reminds again
            logger.exception("accrual reminder to %s failed", recipients)


def _reminder(period: AccrualPeriod, rows: list[MatterFirm]) -> tuple[str, str, None, list[str]]:
    firm = rows[0].firm
    users = User.objects.filter(firm=firm, is_active=True).exclude(email="")
    contacts = firm.contacts.filter(role=ContactRole.BILLING).exclude(email="")
    recipients = sorted({u.email for u in users} | {c.email for c in contacts})
    matters = "\n".join(f"  {r.matter.number} {r.matter.name}" for r in rows)
    body = (
        f"Please report your unbilled work for {period.month:%B %Y} by "
        f"{period.deadline:%Y-%m-%d} in the vendor portal (zero is a valid answer) for:\n"
        f"{matters}\n"
    )
    return (f"Accruals for {period.month:%B %Y} are due", body, None, recipients)


# --- Finance export -----------------------------------------------------------------------

EXPORT_COLUMNS = (
    "period",
    "client_matter_id",
    "matter_name",
    "law_firm_id",
    "firm_name",
    "business_unit",
    "gl_code",
    "currency",
    "current_unbilled",
    "prior_unbilled",
    "total_unbilled",
    "reported_at",
    "reported_by",
)


@dataclass(frozen=True)
class AccrualTotal:
    key: str
    currency: str
    total_minor: int


TOTAL_KEYS = {
    "firm": "firm__name",
    "matter": "matter__number",
    "business_unit": "matter__business_unit__name",
    "gl_code": "matter__gl_code",
}


def accrual_totals(accruals: QuerySet[Accrual], by: str) -> list[AccrualTotal]:
    """Totals per firm, matter, business unit or GL code, per currency (never mixed), summed
    by the database (integer minor units: exact on SQLite and PostgreSQL)."""
    key = TOTAL_KEYS[by]
    rows = (
        accruals.order_by()
        .values(key, "currency")
        .annotate(total=Sum("current_minor") + Sum("prior_minor"))
        .order_by(key, "currency")
    )
    return [AccrualTotal(row[key] or "—", row["currency"], row["total"]) for row in rows]


def accruals_csv(accruals: Iterable[Accrual]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(EXPORT_COLUMNS)
    for row in accruals:
        unit = row.matter.business_unit
        writer.writerow(
            [
                f"{row.period.month:%Y-%m}",
                row.matter.number,
                row.matter.name,
                row.firm.law_firm_id,
                row.firm.name,
                unit.code if unit else "",
                row.matter.gl_code,
                row.currency,
                format_minor(row.current_minor, row.currency),
                format_minor(row.prior_minor, row.currency),
                format_minor(row.total_minor, row.currency),
                row.reported_at.isoformat(timespec="seconds"),
                row.reported_by.username if row.reported_by else "system",
            ]
        )
    return out.getvalue()
