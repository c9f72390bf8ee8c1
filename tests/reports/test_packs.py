"""Scheduled report packs: a month goes to each recipient once, as a real PDF and/or workbook
built under the recipient's own permissions; a failure for one recipient is recorded and does
not stop the others; only people who read reports may receive a pack and only legal operations
may set one up. Numbers are the fixed dataset `book` (tests/reports/conftest.py), by hand:
February 2026 billed = B1 1,000.00 EUR at 1.2 + A2 500.00 = 1,700.00 USD; the attorney leads
M1 only, so theirs is A2's 500.00; year to date adds January's A1 (2,100.00)."""

from __future__ import annotations

import datetime
import io
import zipfile
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from python_calamine import CalamineWorkbook

from legalops.audit.models import AuditEvent
from legalops.core import schedule
from legalops.core.models import ScheduledRun
from legalops.reports import packs_mail
from legalops.reports.models import ReportSend, ReportSubscription, SendStatus
from legalops.reports.packs_mail import packs_send, parse_month, previous_month
from legalops.reports.registry import FilterError
from legalops.reports.subscriptions import (
    report_recipient_choices,
    report_subscription_create,
    report_subscription_delete,
    report_subscription_pause,
    report_subscription_update,
)

FEB = datetime.date(2026, 2, 1)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def subscribe(actor: Any, recipients: list[Any], **data: Any) -> ReportSubscription:
    fields = {"name": "Monthly legal spend", "pages": ["overview", "spend"], "pdf": True}
    return report_subscription_create(
        actor=actor, recipients=recipients, **{**fields, "xlsx": True, **data}
    )


def attachments(message: Any) -> dict[str, tuple[bytes, str]]:
    return {name: (content, mimetype) for name, content, mimetype in message.attachments}


def workbook(data: bytes) -> Any:
    return CalamineWorkbook.from_filelike(io.BytesIO(data))


def billed_in(data: bytes) -> float:
    """Total billed from the overview's key-figures sheet of a pack workbook."""
    rows = workbook(data).get_sheet_by_name("Executive overview key figures").to_python()
    return next(row[1] for row in rows if row[0] == "Total billed")


def mail_to(mailoutbox: list[Any], address: str) -> list[Any]:
    return [m for m in mailoutbox if m.to == [address]]


def test_a_month_goes_out_once_as_a_pdf_and_a_workbook(book, admin, approver, mailoutbox):
    subscription = subscribe(admin, [admin, approver])
    outcomes = packs_send(actor=None, month=FEB)
    assert sorted((o.recipient, o.status) for o in outcomes) == [
        ("finance", "sent"),
        ("ops", "sent"),
    ]
    assert sorted(m.to[0] for m in mailoutbox) == sorted([admin.email, approver.email])
    message = mail_to(mailoutbox, admin.email)[0]
    assert message.subject == "Monthly legal spend: February 2026"
    files = attachments(message)
    assert set(files) == {"monthly-legal-spend-2026-02.pdf", "monthly-legal-spend-2026-02.xlsx"}
    pdf, pdf_type = files["monthly-legal-spend-2026-02.pdf"]
    assert pdf.startswith(b"%PDF-") and pdf_type == "application/pdf"
    xlsx, xlsx_type = files["monthly-legal-spend-2026-02.xlsx"]
    assert xlsx_type == XLSX
    assert "xl/charts/chart1.xml" in zipfile.ZipFile(io.BytesIO(xlsx)).namelist()
    sheets = workbook(xlsx).sheet_names
    assert sheets[0] == "Executive overview key figures" and "Spend key figures" in sheets
    assert sheets[-1] == "Definitions"
    assert billed_in(xlsx) == 1700.0
    # the second run (or a second worker) sends nothing again
    again = packs_send(actor=None, month=FEB)
    assert {o.status for o in again} == {"unchanged"} and len(mailoutbox) == 2
    rows = ReportSend.objects.filter(subscription=subscription)
    assert sorted((r.recipient_name, r.status, r.attempts) for r in rows) == [
        ("finance", "sent", 1),
        ("ops", "sent", 1),
    ]
    subscription.refresh_from_db()
    assert subscription.last_sent_month == FEB and subscription.last_sent_at is not None


def test_the_body_has_the_headline_figures_and_a_link(book, admin, mailoutbox):
    subscribe(admin, [admin])
    packs_send(actor=None, month=FEB)
    body = mailoutbox[0].body
    assert "Total billed: 1,700.00" in body
    assert "2026-02-01 to 2026-02-28" in body and "the whole department" in body
    assert "/insight/?from=2026-02-01&to=2026-02-28" in body
    assert mailoutbox[0].content_subtype == "plain"


def test_each_recipient_gets_only_what_they_may_see(book, admin, attorney, mailoutbox):
    subscribe(admin, [admin, attorney], pdf=False)
    packs_send(actor=None, month=FEB)
    mine = mail_to(mailoutbox, attorney.email)[0]
    ((xlsx, _),) = attachments(mine).values()
    assert billed_in(xlsx) == 500.0  # M1 only: A2
    assert "Total billed: 500.00" in mine.body and "the matters counsel sees" in mine.body
    ((department, _),) = attachments(mail_to(mailoutbox, admin.email)[0]).values()
    assert billed_in(department) == 1700.0


def test_year_to_date_and_the_filters(book, admin, firm_a, mailoutbox):
    subscribe(admin, [admin], name="YTD", period="year_to_date", pdf=False)
    subscribe(admin, [admin], name="Firm A", firm=firm_a, pdf=False)
    packs_send(actor=None, month=FEB)
    by_subject = {m.subject: m for m in mailoutbox}
    ((ytd, _),) = attachments(by_subject["YTD: February 2026"]).values()
    assert billed_in(ytd) == 3800.0  # January's A1 2,100.00 + February's 1,700.00
    ((firm, _),) = attachments(by_subject["Firm A: February 2026"]).values()
    assert billed_in(firm) == 500.0  # firm A in February: A2
    assert "firm Hale & Whitmore LLP" in by_subject["Firm A: February 2026"].body


def test_one_failing_recipient_is_recorded_and_the_others_get_theirs(
    book, admin, approver, attorney, mailoutbox, monkeypatch
):
    real_send = EmailMessage.send

    def refusing(message: EmailMessage, *args: Any, **kwargs: Any) -> int:
        if message.to == [approver.email]:
            raise ConnectionRefusedError("mail server said no")
        return real_send(message, *args, **kwargs)

    monkeypatch.setattr(EmailMessage, "send", refusing)
    subscription = subscribe(admin, [admin, approver, attorney])
    outcomes = packs_send(actor=None, month=FEB)
    assert sorted((o.recipient, o.status) for o in outcomes) == [
        ("counsel", "sent"),
        ("finance", "failed"),
        ("ops", "sent"),
    ]
    assert sorted(m.to[0] for m in mailoutbox) == sorted([attorney.email, admin.email])
    failed = ReportSend.objects.get(subscription=subscription, recipient=approver)
    assert failed.status == SendStatus.FAILED
    assert failed.detail == "ConnectionRefusedError: mail server said no"
    # the next run retries the failed one only
    monkeypatch.setattr(EmailMessage, "send", real_send)
    retry = packs_send(actor=None, month=FEB)
    assert sorted((o.recipient, o.status) for o in retry) == [
        ("counsel", "unchanged"),
        ("finance", "sent"),
        ("ops", "unchanged"),
    ]
    failed.refresh_from_db()
    assert (failed.status, failed.attempts, failed.detail.endswith("bytes)")) == ("sent", 2, True)
    assert len(mailoutbox) == 3


def test_a_build_failure_for_one_scope_does_not_stop_the_others(
    book, admin, attorney, mailoutbox, monkeypatch
):
    real_build = packs_mail._Builder._build

    def broken(self: Any, user: Any, whole: bool) -> Any:
        if not whole:
            raise RuntimeError("chart exploded")
        return real_build(self, user, whole)

    monkeypatch.setattr(packs_mail._Builder, "_build", broken)
    subscribe(admin, [attorney, admin])
    outcomes = {o.recipient: (o.status, o.detail) for o in packs_send(actor=None, month=FEB)}
    assert outcomes == {
        "counsel": ("failed", "RuntimeError: chart exploded"),
        "ops": ("sent", outcomes["ops"][1]),
    }
    assert [m.to for m in mailoutbox] == [[admin.email]]


def test_a_recipient_who_lost_access_is_skipped_and_never_mailed(
    book, admin, attorney, firm_a, mailoutbox
):
    subscription = subscribe(admin, [admin, attorney])
    attorney.role, attorney.firm = "firm", firm_a  # moved to outside counsel after set-up
    attorney.save()
    outcomes = {o.recipient: o for o in packs_send(actor=None, month=FEB)}
    assert outcomes["counsel"].status == "skipped"
    assert "may not view reports" in outcomes["counsel"].detail
    assert [m.to for m in mailoutbox] == [[admin.email]]
    row = ReportSend.objects.get(subscription=subscription, recipient=attorney)
    assert row.status == SendStatus.SKIPPED and row.sent_at is None


def test_only_people_who_read_reports_can_be_recipients(
    admin, approver, attorney, requester, firm_a_user
):
    assert set(report_recipient_choices()) == {admin, approver, attorney}
    for outsider in (firm_a_user, requester):
        with pytest.raises(ValidationError) as error:
            subscribe(admin, [admin, outsider])
        assert "may not view reports" in str(error.value.message_dict["recipients"])
    attorney.email = ""
    attorney.save()
    with pytest.raises(ValidationError, match="no email address"):
        subscribe(admin, [attorney])
    assert not ReportSubscription.objects.exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"pages": []}, "pages"),
        ({"pages": ["overview", "nonsense"]}, "pages"),
        ({"pdf": False, "xlsx": False}, "pdf"),
        ({"period": "weekly"}, "period"),
        ({"name": "  "}, "name"),
        ({"matter_type": "nope"}, "matter_type"),
    ],
)
def test_bad_subscriptions_are_refused_field_by_field(admin, data, field):
    with pytest.raises(ValidationError) as error:
        subscribe(admin, [admin], **data)
    assert field in error.value.message_dict


@pytest.mark.parametrize("role", ["attorney", "approver", "requester", "firm_a_user"])
def test_only_legal_operations_manage_and_send_packs(request, admin, role):
    user = request.getfixturevalue(role)
    with pytest.raises(PermissionDenied):
        subscribe(user, [admin])
    subscription = subscribe(admin, [admin])
    for call in (
        lambda: report_subscription_pause(actor=user, subscription=subscription, active=False),
        lambda: report_subscription_delete(actor=user, subscription=subscription),
        lambda: packs_send(actor=user, month=FEB),
    ):
        with pytest.raises(PermissionDenied):
            call()


def test_changes_are_audited(admin, approver):
    subscription = subscribe(admin, [admin])
    report_subscription_update(
        actor=admin,
        subscription=subscription,
        recipients=[admin, approver],
        name="Board",
        pages=["overview"],
        pdf=True,
        xlsx=False,
        period="month",
    )
    report_subscription_pause(actor=admin, subscription=subscription, active=False)
    report_subscription_delete(actor=admin, subscription=subscription)
    events = list(
        AuditEvent.objects.filter(event_type__startswith="report_subscription").order_by("pk")
    )
    assert [e.event_type for e in events] == [
        "report_subscription.created",
        "report_subscription.updated",
        "report_subscription.updated",
        "report_subscription.deleted",
    ]
    assert events[1].payload["new"]["recipients"] == ["finance", "ops"]
    assert events[1].payload["new"]["name"] == "Board"
    assert events[2].payload == {"old": {"is_active": True}, "new": {"is_active": False}}


def test_a_paused_pack_is_left_out_unless_named(book, admin, mailoutbox):
    subscription = subscribe(admin, [admin])
    report_subscription_pause(actor=admin, subscription=subscription, active=False)
    assert packs_send(actor=None, month=FEB) == []
    assert mailoutbox == []
    sent = packs_send(actor=admin, month=FEB, subscriptions=[subscription])
    assert [o.status for o in sent] == ["sent"] and len(mailoutbox) == 1
    assert ReportSend.objects.get().sent_by == admin


def test_a_dry_run_writes_nothing_and_sends_nothing(book, admin, approver, mailoutbox):
    subscribe(admin, [admin, approver])
    packs_send(actor=None, month=FEB)
    mailoutbox.clear()
    approver.email = ""
    approver.save()
    audit_before = AuditEvent.objects.count()
    plan = packs_send(actor=None, month=datetime.date(2026, 3, 1), dry_run=True)
    assert sorted((o.recipient, o.status) for o in plan) == [
        ("finance", "would skip"),
        ("ops", "would send"),
    ]
    again = packs_send(actor=None, month=FEB, dry_run=True)
    assert {o.status for o in again} == {"unchanged"}  # sent in February before
    assert mailoutbox == [] and ReportSend.objects.filter(month__gt=FEB).count() == 0
    assert AuditEvent.objects.count() == audit_before


def test_a_send_left_half_done_is_taken_over_only_when_stale(book, admin, mailoutbox):
    subscription = subscribe(admin, [admin])
    ReportSend.objects.create(
        subscription=subscription,
        recipient=admin,
        recipient_name="ops",
        month=FEB,
        status=SendStatus.SENDING,
    )
    assert [o.status for o in packs_send(actor=None, month=FEB)] == ["unchanged"]
    assert mailoutbox == []  # another run is sending it right now
    ReportSend.objects.update(updated_at=datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC))
    assert [o.status for o in packs_send(actor=None, month=FEB)] == ["sent"]
    assert len(mailoutbox) == 1


def test_months_are_complete_months():
    today = datetime.date(2026, 11, 28)
    assert previous_month(today) == datetime.date(2026, 10, 1)
    assert previous_month(datetime.date(2026, 1, 1)) == datetime.date(2025, 12, 1)
    assert parse_month("2026-10", today=today) == datetime.date(2026, 10, 1)
    with pytest.raises(ValidationError, match="has not ended yet"):
        parse_month("2026-11", today=today)
    with pytest.raises(FilterError):
        parse_month("October", today=today)


def test_the_monthly_job_is_registered_and_sends_the_previous_month(book, admin, mailoutbox):
    job = schedule.jobs()["report-packs"]
    assert job.period == "monthly" and job.func is packs_job()
    subscribe(admin, [admin])
    first_of_march = datetime.datetime(2026, 3, 1, 6, tzinfo=datetime.UTC)
    with time_machine.travel(first_of_march, tick=False):
        schedule.run_due(first_of_march)
        schedule.run_due(first_of_march.replace(hour=7))  # same slot: not again
    run = ScheduledRun.objects.get(job="report-packs")
    assert (run.slot, run.outcome, run.detail) == ("2026-03", "ok", "2026-02: 1 sent")
    assert [m.subject for m in mailoutbox] == ["Monthly legal spend: February 2026"]


def packs_job() -> Any:
    from legalops.reports.tasks import report_packs

    return report_packs
