"""Sending scheduled report packs: for one month, each subscription's dashboards as a PDF board
pack and/or an Excel workbook, mailed to each recipient with the headline figures in the body.

- Permissions: a recipient's pack is built under the recipient's own permissions (the same
  selectors the dashboards use), so an attorney gets only the matters they may see. People
  who see the whole department (admins, approvers) share one build.
- Once per month: each (subscription, recipient, month) is claimed by inserting a
  `ReportSend` row first (unique), so a second run, or a second worker, sends nothing again. A
  failed or skipped send is retried by the next run; a sent one never.
- Isolation: a failure for one recipient (a build error, the mail server refusing an address)
  is recorded on that recipient's row and the others still get theirs.

Mail is sent here, synchronously, not through `core.tasks.send_mail_task`: the worker already
runs this (the monthly job), the attachments are not task arguments, and the outcome of each
send is recorded as it happens.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from legalops.accounts.models import User
from legalops.accounts.permissions import Capability, require
from legalops.audit.events import Event
from legalops.audit.services import audit_record
from legalops.matters.types import matter_type_choices
from legalops.notifications.services import site_link
from legalops.reports.exports.packs import pages_report, period_words
from legalops.reports.exports.pdf import report_pdf
from legalops.reports.exports.xlsx import report_xlsx
from legalops.reports.models import PackPeriod, ReportSend, ReportSubscription, SendStatus
from legalops.reports.registry import Filters
from legalops.reports.selectors import month_bounds, report_matter_scope, reporting_currency
from legalops.reports.subscriptions import recipient_refusal
from legalops.reports.views_build import Context, values_of
from legalops.reports.views_pages import OVERVIEW, PAGES, tiles

logger = logging.getLogger(__name__)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A "sending" row older than this belongs to a run that died mid-send: the next run retries it.
STALE = datetime.timedelta(minutes=30)


@dataclass(frozen=True)
class Outcome:
    subscription: ReportSubscription
    recipient: str
    status: str  # a SendStatus, or for a dry run "would send" / "would skip"
    detail: str = ""


@dataclass(frozen=True)
class Attachment:
    name: str
    content: bytes
    mimetype: str


@dataclass(frozen=True)
class Pack:
    files: list[Attachment]
    headline: list[str]
    scope: str


def previous_month(today: datetime.date) -> datetime.date:
    return (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


def parse_month(text: str, *, today: datetime.date) -> datetime.date:
    """ "2026-10" -> 2026-10-01; a month that has not ended yet is refused, since sending it
    would mark it sent and the monthly job would then skip the complete month."""
    first, last = month_bounds(text)
    if last >= today:
        raise ValidationError(f"{first:%Y-%m} has not ended yet; packs cover complete months")
    return first


def pack_filters(subscription: ReportSubscription, month: datetime.date) -> Filters:
    first, last = month_bounds(month)
    start = first.replace(month=1) if subscription.period == PackPeriod.YEAR_TO_DATE else first
    return Filters(
        date_from=start,
        date_to=last,
        firm_ids=_ids(subscription.firm_id),
        practice_area_ids=_ids(subscription.practice_area_id),
        business_unit_ids=_ids(subscription.business_unit_id),
        matter_types=(subscription.matter_type,) if subscription.matter_type else (),
    )


def _ids(pk: int | None) -> tuple[int, ...]:
    return (pk,) if pk is not None else ()


def packs_send(
    *,
    actor: User | None,
    month: datetime.date,
    subscriptions: Iterable[ReportSubscription] | None = None,
    dry_run: bool = False,
) -> list[Outcome]:
    """Sends `month`'s pack of each subscription (by default every active one) to each of its
    recipients who has not had it yet. `actor` None is the schedule or the command."""
    require(actor, Capability.MANAGE_REPORTS)
    month = month.replace(day=1)
    if subscriptions is None:
        subscriptions = ReportSubscription.objects.filter(is_active=True)
    outcomes: list[Outcome] = []
    for subscription in subscriptions:
        outcomes += subscription_send(subscription, month, actor=actor, dry_run=dry_run)
    if not dry_run and outcomes:
        with transaction.atomic():
            audit_record(
                actor=actor,
                event=Event.REPORT_PACKS_SENT,
                payload={"month": f"{month:%Y-%m}", **summary_counts(outcomes)},
            )
    return outcomes


def summary_counts(outcomes: Sequence[Outcome]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for outcome in outcomes:
        counts[outcome.status] = counts.get(outcome.status, 0) + 1
    return counts


def summary(outcomes: Sequence[Outcome]) -> str:
    counts = summary_counts(outcomes)
    return ", ".join(f"{n} {status}" for status, n in sorted(counts.items())) or "nothing to send"


def subscription_send(
    subscription: ReportSubscription,
    month: datetime.date,
    *,
    actor: User | None = None,
    dry_run: bool = False,
) -> list[Outcome]:
    builder = _Builder(subscription, month)
    outcomes = [
        _send_one(subscription, recipient, month, builder, actor, dry_run)
        for recipient in subscription.recipients.order_by("username")
    ]
    if any(o.status == SendStatus.SENT for o in outcomes):
        subscription.last_sent_at = timezone.now()
        subscription.last_sent_month = max(month, subscription.last_sent_month or month)
        subscription.save(update_fields=["last_sent_at", "last_sent_month"])
    return outcomes


def _send_one(
    subscription: ReportSubscription,
    recipient: User,
    month: datetime.date,
    builder: _Builder,
    actor: User | None,
    dry_run: bool,
) -> Outcome:
    name = recipient.get_username()
    refusal = recipient_refusal(recipient)
    if dry_run:
        return _planned(subscription, recipient, month, refusal)
    row = _claim(subscription, recipient, month, actor)
    if row is None:
        return Outcome(subscription, name, "unchanged", "already sent (or being sent)")
    if refusal:
        return _finish(row, SendStatus.SKIPPED, refusal)
    try:
        pack = builder.pack(recipient)
        _message(subscription, recipient, month, pack).send()
    except Exception as exc:  # one recipient's failure must not stop the others
        logger.exception("report pack %s to %s failed", subscription.pk, name)
        return _finish(row, SendStatus.FAILED, f"{type(exc).__name__}: {exc}")
    files = ", ".join(f"{f.name} ({len(f.content):,} bytes)" for f in pack.files)
    return _finish(row, SendStatus.SENT, files)


def _planned(
    subscription: ReportSubscription, recipient: User, month: datetime.date, refusal: str
) -> Outcome:
    name = recipient.get_username()
    done = ReportSend.objects.filter(
        subscription=subscription, recipient=recipient, month=month, status=SendStatus.SENT
    ).exists()
    if done:
        return Outcome(subscription, name, "unchanged", "already sent")
    if refusal:
        return Outcome(subscription, name, "would skip", refusal)
    return Outcome(subscription, name, "would send", recipient.email)


def _claim(
    subscription: ReportSubscription, recipient: User, month: datetime.date, actor: User | None
) -> ReportSend | None:
    """The recipient's row for the month, now "sending", or None when it is sent already or
    another run is sending it. Insert-or-conditional-update: atomic on both databases."""
    key = {"subscription": subscription, "recipient": recipient, "month": month}
    fresh = {"address": recipient.email, "sent_by": actor, "status": SendStatus.SENDING}
    try:
        with transaction.atomic():
            return ReportSend.objects.create(
                **key, **fresh, recipient_name=recipient.get_username()
            )
    except IntegrityError:
        pass
    now = timezone.now()
    retry = Q(status__in=[SendStatus.FAILED, SendStatus.SKIPPED]) | Q(
        status=SendStatus.SENDING, updated_at__lt=now - STALE
    )
    claimed = ReportSend.objects.filter(retry, **key).update(
        **fresh, attempts=F("attempts") + 1, updated_at=now, detail=""
    )
    return ReportSend.objects.get(**key) if claimed else None


def _finish(row: ReportSend, status: SendStatus, detail: str) -> Outcome:
    row.status = status
    row.detail = detail[:2000]
    row.sent_at = timezone.now() if status == SendStatus.SENT else None
    row.save(update_fields=["status", "detail", "sent_at", "updated_at"])
    return Outcome(row.subscription, row.recipient_name, status, row.detail)


class _Builder:
    """Builds a subscription's pack for one month, once per scope: everyone who sees the
    whole department shares a build; an attorney gets one of their own."""

    def __init__(self, subscription: ReportSubscription, month: datetime.date) -> None:
        self.subscription = subscription
        self.month = month
        self.filters = pack_filters(subscription, month)
        self.currency = reporting_currency()
        self.built: dict[object, Pack] = {}

    def pack(self, user: User) -> Pack:
        whole = report_matter_scope(user) is None
        key = "department" if whole else user.pk
        if key not in self.built:
            self.built[key] = self._build(user, whole)
        return self.built[key]

    def _build(self, user: User, whole: bool) -> Pack:
        sub = self.subscription
        ctx = Context(user, self.filters, self.currency, self.filters.params())
        scope = "the whole department" if whole else f"the matters {user.get_username()} sees"
        words = " · ".join([period_words(ctx), self.currency, *filter_words(sub), scope])
        title = f"{sub.name}: {self.month:%B %Y}"
        report = pages_report([PAGES[k] for k in sub.pages if k in PAGES], ctx, title, words)
        stem = f"{slugify(sub.name) or 'report-pack'}-{self.month:%Y-%m}"
        files = []
        if sub.pdf:
            files.append(Attachment(f"{stem}.pdf", report_pdf(report), "application/pdf"))
        if sub.xlsx:
            files.append(Attachment(f"{stem}.xlsx", report_xlsx(report), XLSX))
        values = values_of(user, self.filters, OVERVIEW.tiles)
        headline = [
            f"  {t['name']}: {t['value']}"
            for t in tiles(OVERVIEW, values, self.currency)
            if not t["needs"]
        ]
        return Pack(files, headline, scope)


def filter_words(subscription: ReportSubscription) -> list[str]:
    words = []
    if subscription.firm_id:
        words.append(f"firm {subscription.firm}")
    if subscription.practice_area_id:
        words.append(f"practice area {subscription.practice_area}")
    if subscription.business_unit_id:
        words.append(f"business unit {subscription.business_unit}")
    if subscription.matter_type:
        label = dict(matter_type_choices(inactive=True)).get(subscription.matter_type, "")
        words.append(f"matter type {label or subscription.matter_type}")
    return words


def _message(
    subscription: ReportSubscription, recipient: User, month: datetime.date, pack: Pack
) -> EmailMessage:
    filters = pack_filters(subscription, month)
    link = site_link(reverse("reports:overview") + "?" + urlencode(filters.params(), doseq=True))
    narrowed = ", ".join(filter_words(subscription)) or "no further filters"
    body = "\n".join(
        [
            f"Hello {recipient.first_name or recipient.get_username()},",
            "",
            f"Attached is the report pack \u201c{subscription.name}\u201d for {month:%B %Y}"
            f" ({filters.date_from} to {filters.date_to}; {narrowed}; {pack.scope}):",
            *(f"  {f.name}" for f in pack.files),
            "",
            f"Headline figures (amounts in {reporting_currency()}):",
            *pack.headline,
            "",
            f"Open the dashboards: {link}",
            "",
            "-- ",
            "You receive this as a recipient of a scheduled report pack; legal operations",
            "manages the recipients under Insight > Scheduled packs.",
        ]
    )
    message = EmailMessage(
        subject=f"{subscription.name}: {month:%B %Y}", body=body, to=[recipient.email]
    )
    for file in pack.files:
        message.attach(file.name, file.content, file.mimetype)
    return message
