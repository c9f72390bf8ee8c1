"""The seeded invoices: every state, reviewed by the real engine, and left as the services
would have left them (totals, counters, state history, dates)."""

import datetime
from collections import defaultdict

import pytest
from django.db import transaction

from legalops import seed
from legalops.invoices import workflow
from legalops.invoices.models import Flag, Invoice, InvoiceLine, State, StateChange
from legalops.invoices.review import run_review
from legalops.invoices.services import totals_refresh
from legalops.payables.models import Payment

TODAY = datetime.date(2026, 11, 28)


@pytest.fixture
def seeded(db):
    return seed.run(scale="small", seed=2, today=TODAY)


def test_every_state_of_the_lifecycle_and_old_invoices_mostly_paid(seeded):
    states = set(Invoice.objects.values_list("state", flat=True))
    assert states == set(State.values)
    old = Invoice.objects.filter(received_on__lt=TODAY - datetime.timedelta(days=120))
    assert old.filter(state=State.PAID).count() > old.count() * 0.6
    recent = Invoice.objects.filter(received_on__gte=TODAY - datetime.timedelta(days=15))
    open_states = (State.RECEIVED, State.IN_REVIEW, State.PENDING_APPROVAL, State.ON_HOLD)
    assert recent.filter(state__in=open_states).count() > recent.count() / 2
    assert seeded.counts["invoice lines"] == InvoiceLine.objects.count() > 1000


def test_totals_and_counters_are_what_the_services_compute(seeded):
    invoices = list(Invoice.objects.exclude(state=State.RECEIVED).order_by("pk")[::7])
    assert invoices
    for invoice in invoices:
        before = (
            invoice.approved_minor,
            invoice.flag_count,
            invoice.open_holds,
            list(invoice.lines.order_by("index").values_list("approved_minor", "flag_count")),
        )
        lines = list(invoice.lines.order_by("index"))
        assert invoice.billed_minor == sum(line.billed_minor for line in lines)
        totals_refresh(invoice)
        invoice.refresh_from_db()
        after = (
            invoice.approved_minor,
            invoice.flag_count,
            invoice.open_holds,
            list(invoice.lines.order_by("index").values_list("approved_minor", "flag_count")),
        )
        assert after == before, invoice.invoice_number
    # reviewers both accepted and overrode flags, so some adjustments stand and some do not
    statuses = set(Flag.objects.values_list("status", flat=True))
    assert statuses == {"proposed", "accepted", "overridden"}
    assert Invoice.objects.filter(state=State.APPROVED_ADJUSTED).exists()


def _flags(invoice):
    """(line index, rule, action, amount) of the stored flags; over-budget aside: its
    approved-to-date moves as later invoices are approved."""
    return sorted(
        (f.line.index if f.line else -1, f.rule, f.action, f.amount_minor)
        for f in invoice.flags.select_related("line")
        if f.rule != "over-budget"
    )


def test_stored_flags_are_the_engines_review_of_the_stored_invoice(seeded):
    invoices = list(Invoice.objects.filter(flag_count__gt=0).order_by("pk")[::5])
    assert len(invoices) > 10
    for invoice in invoices:
        version, result = run_review(invoice)
        assert version == invoice.guidelines
        expected = []
        for index, line in enumerate(result.lines):
            expected += [(index, f.rule, f.action, round(f.amount * 100)) for f in line.flags]
        expected += [(-1, f.rule, f.action, round(f.amount * 100)) for f in result.flags]
        expected = sorted(e for e in expected if e[1] != "over-budget")
        assert _flags(invoice) == expected, invoice.invoice_number
    rules = set(Flag.objects.values_list("rule", flat=True))
    for rule in (
        "block-billing",
        "vague-description",
        "clerical-work",
        "rate-above-approved",
        "daily-hours-cap",
        "duplicate-line",
        "luxury-travel",
        "expense-cap",
    ):
        assert rule in rules


def test_state_history_is_a_legal_path_ending_in_the_state(seeded):
    changes = defaultdict(list)
    for change in StateChange.objects.order_by("invoice_id", "at", "pk"):
        changes[change.invoice_id].append(change)
    for invoice in Invoice.objects.all():
        state = State.RECEIVED
        for change in changes[invoice.pk]:
            assert change.from_state == state, invoice.invoice_number
            assert change.to_state in workflow.ALLOWED[state], invoice.invoice_number
            state = change.to_state
        assert state == invoice.state, invoice.invoice_number
        if state in (State.SENT_TO_AP, State.PAID):
            assert invoice.decided_at and invoice.sent_to_ap_at
            assert invoice.decided_at <= invoice.sent_to_ap_at
        if state == State.PAID:
            assert invoice.paid_on is not None
            assert Payment.objects.get(invoice=invoice).amount_minor == invoice.approved_minor
        if state in (State.RECEIVED, State.IN_REVIEW, State.PENDING_APPROVAL):
            assert invoice.decided_at is None


def test_a_resubmitted_invoice_is_replaced_by_its_correction(seeded):
    replaced = Invoice.objects.filter(state=State.RESUBMITTED)
    assert replaced.exists()
    for original in replaced:
        (twin,) = original.resubmissions.all()
        assert twin.invoice_number == original.invoice_number and twin.firm_id == original.firm_id
        assert twin.received_at > original.received_at


def _snapshot(value):
    point = transaction.savepoint_create()
    seed.run(scale="small", seed=value, today=TODAY)
    rows = list(
        Invoice.objects.order_by("firm__law_firm_id", "invoice_number", "pk").values_list(
            "invoice_number", "state", "billed_minor", "approved_minor", "flag_count"
        )
    )
    transaction.savepoint_rollback(point)
    return rows


@pytest.mark.django_db
def test_invoices_are_deterministic_with_the_seed():
    first = _snapshot(3)
    assert first and _snapshot(3) == first


def test_even_the_small_seed_has_an_appeal_won_on_a_line(seeded):
    from legalops.appeals.models import AppealItem, AppealStatus, Decision

    won = AppealItem.objects.filter(
        appeal__status=AppealStatus.DECIDED, decision=Decision.REINSTATED
    ).select_related("line", "appeal__invoice")
    assert won, "the demo should show a reinstatement"
    for item in won:
        assert item.reinstated_minor == item.requested_minor > 0
        # The line got back what was reinstated, so the invoice is no longer fully reduced there.
        assert item.line.approved_minor >= item.reinstated_minor
        assert item.appeal.invoice.state != State.APPEALED


def test_seeded_accruals_estimate_the_work_later_billed(seeded):
    """The firms' accruals are estimates of their later billing, not random numbers: the
    department's accrual error is that of a real panel (well under a half), yet not zero."""
    from legalops.accounts.models import Role, User
    from legalops.matters.models import Accrual
    from legalops.reports.registry import Filters, kpi_values

    assert Accrual.objects.filter(current_minor__gt=0).exists()
    admin = User.objects.filter(role=Role.ADMIN, is_active=True).first()
    error = kpi_values(admin, Filters())["accrual_accuracy"]
    assert 0 < error < 0.35, error
