"""Idle approvals: one reminder, then escalation (escalation user, next level, legal ops),
run by the worker's periodic schedule."""

import datetime
from decimal import Decimal

import pytest
from tests.approvals.ebilling import CLEAN
from tests.factories import UserFactory

from legalops.approvals import services
from legalops.approvals.escalation import escalate_idle
from legalops.approvals.models import ApprovalTask, TaskStatus
from legalops.approvals.services import RuleSpec, StepSpec
from legalops.audit.models import AuditEvent
from legalops.core import schedule
from legalops.invoices import services as invoices
from legalops.notifications.models import Notification

T0 = datetime.datetime(2026, 12, 1, 9, tzinfo=datetime.UTC)


def at(time_machine, days, hours=0):
    time_machine.move_to(T0 + datetime.timedelta(days=days, hours=hours))


def policy(escalation_user=None):
    services.approval_policy_set(
        actor=None,
        auto_approve_below=None,
        remind_after_days=3,
        escalate_after_days=7,
        escalation_user=escalation_user,
    )


@pytest.fixture
def cfo(db):
    return UserFactory(role="approver", username="cfo")


@pytest.fixture
def two_levels(approver, cfo):
    services.routing_rule_save(
        actor=None,
        rule=None,
        spec=RuleSpec(
            name="Two levels",
            steps=(StepSpec(kind="user", user=approver), StepSpec(kind="user", user=cfo)),
        ),
    )


def open_tasks(invoice):
    return list(
        ApprovalTask.objects.filter(invoice=invoice, status=TaskStatus.PENDING).values_list(
            "level", "assignee__username", "pool_role"
        )
    )


def test_a_reminder_then_escalation_to_the_next_level_then_to_legal_ops(
    submitted, two_levels, approver, cfo, time_machine
):
    policy()
    at(time_machine, 0)
    invoice = submitted(CLEAN)
    at(time_machine, 2, 23)
    assert str(escalate_idle()) == "0 approval reminder(s), 0 escalation(s)"
    at(time_machine, 3, 1)
    assert escalate_idle().reminded == 1
    assert escalate_idle().reminded == 0  # one reminder per level
    reminder = Notification.objects.get(kind="approval_reminder")
    assert reminder.user == approver and "waited 3 day(s)" in reminder.body
    at(time_machine, 7, 1)
    assert escalate_idle().escalated == 1
    assert open_tasks(invoice) == [(2, "cfo", "")]
    assert ApprovalTask.objects.get(invoice=invoice, level=1).status == TaskStatus.ESCALATED
    assert Notification.objects.filter(kind="approval_escalated", user=cfo).exists()
    assert Notification.objects.filter(kind="approval_escalated", user=approver).exists()
    at(time_machine, 14, 2)
    assert escalate_idle().escalated == 1
    assert open_tasks(invoice) == [(2, None, "admin")]
    at(time_machine, 30)
    assert escalate_idle().escalated == 0  # legal ops at the last level: nowhere higher
    assert open_tasks(invoice) == [(2, None, "admin")]
    assert AuditEvent.objects.filter(event_type="approval.escalated").count() == 2


def test_escalation_goes_to_the_escalation_user_first(
    submitted, two_levels, approver, admin, time_machine
):
    boss = UserFactory(role="attorney", username="general.counsel")
    policy(escalation_user=boss)
    at(time_machine, 0)
    invoice = submitted(CLEAN)
    at(time_machine, 8)
    assert escalate_idle().escalated == 1
    assert open_tasks(invoice) == [(1, "general.counsel", "")]
    invoice = invoices.invoice_approve(actor=boss, invoice=invoice)
    assert open_tasks(invoice) == [(2, "cfo", "")]


def test_decided_or_held_invoices_are_left_alone(submitted, two_levels, approver, time_machine):
    policy()
    at(time_machine, 0)
    invoice = submitted(CLEAN)
    invoices.invoice_hold(actor=None, invoice=invoice, comment="waiting for the timesheet")
    at(time_machine, 10)
    assert str(escalate_idle()) == "0 approval reminder(s), 0 escalation(s)"


def test_zero_days_switch_reminders_and_escalation_off(submitted, two_levels, time_machine):
    services.approval_policy_set(
        actor=None,
        auto_approve_below=Decimal("1"),
        remind_after_days=0,
        escalate_after_days=0,
        escalation_user=None,
    )
    at(time_machine, 0)
    submitted(CLEAN)
    at(time_machine, 100)
    assert str(escalate_idle()) == "0 approval reminder(s), 0 escalation(s)"


def test_the_worker_runs_the_escalation_job(submitted, two_levels, time_machine):
    policy()
    at(time_machine, 0)
    submitted(CLEAN)
    at(time_machine, 4)
    runs = {run.job: run for run in schedule.run_due()}
    assert runs["approval-escalation"].outcome == "ok"
    assert runs["approval-escalation"].detail == "1 approval reminder(s), 0 escalation(s)"
