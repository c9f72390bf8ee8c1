import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from tests.invoices.builders import Bill, Expense, Fee, ledes
from tests.invoices.guidelines_samples import NORTHWIND

from legalops.audit.models import AuditEvent
from legalops.invoices import services, workflow
from legalops.invoices.models import Flag, State, StateChange
from legalops.matters.services import matter_close_blockers
from legalops.matters.spend import spent

BLOCK = Fee(
    "4.0",
    "500.00",
    "Review deposition transcript of J. Smith; draft motion to compel "
    "production of emails; call with client re settlement range",
)
VAGUE = Fee("0.5", "300.00", "Attention to file", timekeeper=("TK2", "Lee, Ann", "ASSOC"))
CLEAN = Expense("120.00", "E110", "Court reporter for deposition")


GUIDELINES = NORTHWIND


@pytest.fixture
def invoice(intake, matter_a, rate_card):
    from legalops.invoices.rulebook import guidelines_load

    guidelines_load(actor=None, data=GUIDELINES, filename="northwind.toml")
    return intake(ledes(Bill("INV-5", "LIT-001", lines=[BLOCK, VAGUE, CLEAN]))).received[0]


def flag_of(invoice, rule):
    return Flag.objects.get(invoice=invoice, rule=rule)


def test_review_reductions_are_applied_and_holds_block_approval(invoice, admin):
    assert invoice.billed_minor == 200000 + 15000 + 12000
    block = flag_of(invoice, "block-billing")
    assert block.amount_minor == -100000 and block.adjustment.amount_minor == -100000
    assert invoice.approved_minor == invoice.billed_minor - 100000
    holds = list(invoice.flags.filter(action="hold").values_list("rule", flat=True))
    assert holds == ["vague-description"], holds
    assert invoice.open_holds == 1
    with pytest.raises(ValidationError, match="hold flag"):
        services.invoice_submit_for_approval(actor=admin, invoice=invoice)


def test_overriding_a_flag_reinstates_the_money_and_needs_a_reason(invoice, attorney):
    block = flag_of(invoice, "block-billing")
    with pytest.raises(ValidationError, match="reason code and a comment"):
        services.flag_decide(actor=attorney, flag=block, accept=False)
    services.flag_decide(
        actor=attorney,
        flag=block,
        accept=False,
        reason_code="agreed",
        comment="tasks are itemised in the attached timesheet",
    )
    invoice.refresh_from_db()
    assert invoice.approved_minor == invoice.billed_minor
    event = AuditEvent.objects.get(event_type="invoice.flag_decided")
    assert event.actor == attorney and event.payload["decision"] == "overridden"


def test_a_manual_adjustment_sets_the_line_and_stays_within_bounds(invoice, admin):
    line = invoice.lines.get(index=2)
    services.adjustment_add(
        actor=admin,
        line=line,
        approved=Decimal("100.00"),
        reason_code="expense",
        comment="capped at the agreed rate",
    )
    invoice.refresh_from_db()
    line.refresh_from_db()
    assert line.approved_minor == 10000
    assert invoice.approved_minor == invoice.billed_minor - 100000 - 2000
    with pytest.raises(ValidationError, match="between 0 and 120.00"):
        services.adjustment_add(
            actor=admin, line=line, approved=Decimal("150"), reason_code="expense"
        )
    with pytest.raises(ValidationError, match="unknown reason code"):
        services.adjustment_add(actor=admin, line=line, approved=Decimal("90"), reason_code="whim")


def test_only_reviewers_of_the_matter_decide(invoice, approver, firm_a_user, requester):
    from tests.factories import UserFactory

    outsider = UserFactory(username="other.counsel", role="attorney")
    block = flag_of(invoice, "block-billing")
    for user in (outsider, approver, firm_a_user, requester):
        with pytest.raises(PermissionDenied):
            services.flag_decide(actor=user, flag=block, accept=True)


def test_the_lifecycle_to_approval_with_adjustments(invoice, admin):
    services.flag_decide(actor=admin, flag=flag_of(invoice, "vague-description"), accept=True)
    services.invoice_submit_for_approval(actor=admin, invoice=invoice)
    invoice.refresh_from_db()
    assert invoice.state == State.PENDING_APPROVAL
    services.invoice_approve(actor=admin, invoice=invoice)
    invoice.refresh_from_db()
    assert invoice.state == State.APPROVED_ADJUSTED
    states = list(StateChange.objects.filter(invoice=invoice).values_list("to_state", flat=True))
    assert states == ["in_review", "pending_approval", "approved_adjusted"]
    with pytest.raises(ValidationError, match="needs it to be pending approval"):
        services.invoice_approve(actor=admin, invoice=invoice)
    with pytest.raises(ValidationError, match="cannot become in review"):
        services.invoice_start_review(actor=admin, invoice=invoice)


def test_approved_spend_and_pending_invoices_reach_matters(invoice, admin, matter_a):
    assert matter_close_blockers(matter_a) == ["1 invoice(s) on this matter are still pending"]
    services.flag_decide(actor=admin, flag=flag_of(invoice, "vague-description"), accept=True)
    services.invoice_submit_for_approval(actor=admin, invoice=invoice)
    services.invoice_approve(actor=admin, invoice=invoice)
    invoice.refresh_from_db()
    used = spent(
        matter_ids=[matter_a.pk], start=datetime.date(2026, 1, 1), end=datetime.date(2026, 12, 31)
    )[(matter_a.pk, invoice.firm_id)]
    assert used.total_minor == invoice.approved_minor
    assert used.by_phase == {"L100": 100000 + 15000}  # L120 fees; the expense has no phase
    assert matter_close_blockers(matter_a) == []


def test_reject_needs_a_comment_and_a_known_reason(invoice, admin):
    with pytest.raises(ValidationError, match="tell the firm why"):
        services.invoice_reject(actor=admin, invoice=invoice, reason_code="other", comment="")
    services.invoice_reject(
        actor=admin, invoice=invoice, reason_code="billing-error", comment="phase codes missing"
    )
    invoice.refresh_from_db()
    assert invoice.state == State.REJECTED


def test_transitions_follow_the_lifecycle():
    assert State.PAID in workflow.ALLOWED[State.SENT_TO_AP]
    assert not workflow.ALLOWED[State.VOIDED]
    assert State.APPROVED not in workflow.ALLOWED[State.RECEIVED]
