"""Appeals: the firm appeals adjusted lines one by one before the deadline; the reviewer
reinstates in full, in part, or upholds; reinstated money is tracked on the adjustments and the
invoice returns to where it was (with a supplemental AP line after export)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from tests.approvals.ebilling import BLOCK, CLEAN

from legalops.appeals import selectors, services
from legalops.appeals.models import Appeal, AppealStatus
from legalops.appeals.services import ItemSpec
from legalops.invoices.models import Adjustment, State
from legalops.notifications.models import Notification
from legalops.payables import services as payables
from legalops.payables.models import ApBatchLine, Supplemental


def line_of(invoice, number):
    return invoice.lines.get(line_item_number=str(number))


def appeal(invoice, actor, *numbers, requested=None):
    return services.appeal_file(
        actor=actor,
        invoice=invoice,
        items=[
            ItemSpec(line_of(invoice, n), "the tasks are itemised in the timesheet", requested)
            for n in numbers
        ],
        note="see the attached timesheet",
    )


def decide(appeal, number, decision, actor, amount=None, comment="checked"):
    item = appeal.items.get(line__line_item_number=str(number))
    return services.appeal_item_decide(
        actor=actor, item=item, decision=decision, amount=amount, comment=comment
    )


@pytest.fixture
def adjusted(approved):
    """Line 1 billed 2,000.00, reduced by half for block billing; line 2 clean 1,000.00."""
    invoice = approved(BLOCK, CLEAN)
    assert invoice.state == State.APPROVED_ADJUSTED
    assert (invoice.billed_minor, invoice.approved_minor) == (300000, 200000)
    return invoice


def test_a_full_reinstatement_returns_the_invoice_approved_as_billed(
    adjusted, firm_a_user, attorney, admin
):
    filed = appeal(adjusted, firm_a_user, 1)
    adjusted.refresh_from_db()
    assert adjusted.state == State.APPEALED
    item = filed.items.get()
    assert (item.adjusted_minor, item.requested_minor) == (100000, 100000)
    assert {n.user for n in Notification.objects.filter(kind="appeal_filed")} == {admin, attorney}
    decide(filed, 1, "reinstated", attorney)
    adjusted.refresh_from_db()
    assert adjusted.state == State.APPROVED and adjusted.approved_minor == 300000
    adjustment = Adjustment.objects.get(line=line_of(adjusted, 1))
    assert (adjustment.amount_minor, adjustment.reinstated_minor) == (-100000, 100000)
    filed.refresh_from_db()
    assert filed.status == AppealStatus.DECIDED
    note = Notification.objects.get(kind="appeal_decided", user=firm_a_user)
    assert "1000.00 USD reinstated" in note.body


def test_a_partial_reinstatement_keeps_the_rest_of_the_adjustment(adjusted, firm_a_user, attorney):
    filed = appeal(adjusted, firm_a_user, 1)
    with pytest.raises(ValidationError, match="more than 0 and less than"):
        decide(filed, 1, "partly", attorney, amount=Decimal("1000"))
    with pytest.raises(ValidationError, match="tell the firm why"):
        decide(filed, 1, "partly", attorney, amount=Decimal("400"), comment="")
    decide(filed, 1, "partly", attorney, amount=Decimal("400"))
    adjusted.refresh_from_db()
    assert adjusted.state == State.APPROVED_ADJUSTED
    assert adjusted.approved_minor == 200000 + 40000
    reinstated = Adjustment.objects.aggregate(r=Sum("reinstated_minor"))["r"]
    assert reinstated == 40000  # net savings: 100,000 reduced - 40,000 reinstated


def test_upholding_needs_a_comment_and_changes_nothing(adjusted, firm_a_user, attorney):
    filed = appeal(adjusted, firm_a_user, 1)
    with pytest.raises(ValidationError, match="tell the firm why"):
        decide(filed, 1, "upheld", attorney, comment=" ")
    decide(filed, 1, "upheld", attorney, comment="the entry bundles three tasks")
    adjusted.refresh_from_db()
    assert (adjusted.state, adjusted.approved_minor) == (State.APPROVED_ADJUSTED, 200000)
    with pytest.raises(ValidationError):
        decide(filed, 1, "reinstated", attorney)


def test_the_invoice_stays_appealed_until_every_line_is_decided(approved, firm_a_user, attorney):
    invoice = approved(BLOCK, BLOCK)
    filed = appeal(invoice, firm_a_user, 1, 2)
    decide(filed, 1, "reinstated", attorney)
    invoice.refresh_from_db()
    assert invoice.state == State.APPEALED and invoice.approved_minor == 300000
    decide(filed, 2, "upheld", attorney)
    invoice.refresh_from_db()
    assert invoice.state == State.APPROVED_ADJUSTED


def test_only_adjusted_lines_once_each_and_within_what_was_taken(adjusted, firm_a_user):
    with pytest.raises(ValidationError, match="no adjustment to appeal"):
        appeal(adjusted, firm_a_user, 2)
    with pytest.raises(ValidationError, match="at most 1000.00 USD"):
        appeal(adjusted, firm_a_user, 1, requested=Decimal("1000.01"))
    with pytest.raises(ValidationError, match="say why"):
        services.appeal_file(
            actor=firm_a_user, invoice=adjusted, items=[ItemSpec(line_of(adjusted, 1), " ")]
        )
    with pytest.raises(ValidationError, match="at least one"):
        services.appeal_file(actor=firm_a_user, invoice=adjusted, items=[])
    filed = appeal(adjusted, firm_a_user, 1, requested=Decimal("250"))
    assert filed.items.get().requested_minor == 25000
    adjusted.refresh_from_db()
    with pytest.raises(ValidationError, match="appealed"):  # it is open now
        appeal(adjusted, firm_a_user, 1)


def test_firm_b_cannot_appeal_firm_a_s_invoice(adjusted, firm_b_user, approver):
    with pytest.raises(PermissionDenied, match="your own firm"):
        appeal(adjusted, firm_b_user, 1)
    with pytest.raises(PermissionDenied):
        appeal(adjusted, approver, 1)
    assert not selectors.appeal_list(user=firm_b_user).exists()


def test_appeals_close_at_the_deadline(adjusted, firm_a_user, admin, time_machine):
    services.appeal_policy_set(actor=admin, deadline_days=30)
    decided = selectors.first_decision(adjusted)
    assert selectors.appeal_deadline(adjusted) == decided.date() + datetime.timedelta(days=30)
    time_machine.move_to(decided + datetime.timedelta(days=31))
    with pytest.raises(ValidationError, match="appeal period of invoice .* ended"):
        appeal(adjusted, firm_a_user, 1)
    assert selectors.can_appeal(adjusted, datetime.date.today())[0] is False


def test_clean_or_undecided_invoices_cannot_be_appealed(approved, bill, firm_a_user):
    with pytest.raises(ValidationError, match="this needs it to be"):
        appeal(approved(CLEAN), firm_a_user, 1)
    with pytest.raises(ValidationError, match="this needs it to be"):
        appeal(bill(BLOCK), firm_a_user, 1)


def test_a_reinstatement_after_export_adds_a_supplemental_ap_line(
    adjusted, firm_a_user, attorney, admin
):
    payables.ap_batch_create(actor=admin)
    adjusted.refresh_from_db()
    assert adjusted.state == State.SENT_TO_AP
    filed = appeal(adjusted, firm_a_user, 1)
    decide(filed, 1, "partly", attorney, amount=Decimal("300"))
    adjusted.refresh_from_db()
    assert adjusted.state == State.SENT_TO_AP  # back where it was
    extra = Supplemental.objects.get(invoice=adjusted)
    assert extra.amount_minor == 30000
    batch = payables.ap_batch_create(actor=admin)
    line = ApBatchLine.objects.get(batch=batch)
    assert (line.kind, line.amount_minor, line.values["line_type"]) == (
        "supplemental",
        30000,
        "SUPPLEMENTAL",
    )


def test_an_appeal_of_a_paid_invoice_returns_it_paid(adjusted, firm_a_user, attorney, admin):
    payables.ap_batch_create(actor=admin)
    payables.payment_record(actor=admin, invoice=adjusted, paid_on=datetime.date.today())
    adjusted.refresh_from_db()
    assert adjusted.state == State.PAID
    filed = appeal(adjusted, firm_a_user, 1)
    decide(filed, 1, "reinstated", attorney)
    adjusted.refresh_from_db()
    assert adjusted.state == State.PAID
    assert Supplemental.objects.get(invoice=adjusted).amount_minor == 100000


def test_the_firm_withdraws_an_appeal_nobody_decided_yet(approved, firm_a_user, attorney):
    invoice = approved(BLOCK, BLOCK)
    filed = appeal(invoice, firm_a_user, 1, 2)
    services.appeal_withdraw(actor=firm_a_user, appeal=filed)
    invoice.refresh_from_db()
    assert invoice.state == State.APPROVED_ADJUSTED
    again = appeal(invoice, firm_a_user, 1, 2)  # a withdrawn appeal frees its lines
    decide(again, 1, "upheld", attorney)
    with pytest.raises(ValidationError, match="runs to its end"):
        services.appeal_withdraw(actor=firm_a_user, appeal=again)
    assert Appeal.objects.filter(invoice=invoice).count() == 2


def test_only_reviewers_of_the_matter_decide(adjusted, firm_a_user, approver):
    filed = appeal(adjusted, firm_a_user, 1)
    for user in (approver, firm_a_user):
        with pytest.raises(PermissionDenied):
            decide(filed, 1, "reinstated", user)


def test_a_line_cut_by_two_adjustments_rises_by_exactly_the_reinstatement(
    adjusted, firm_a_user, attorney, admin
):
    """Reductions of 1,000.00 and 1,500.00 on a 2,000.00 line leave it at 0 (clamped): giving
    500.00 back must raise it to 500.00, not merely to -1,000.00 + 500.00 of net reductions."""
    line = line_of(adjusted, 1)
    Adjustment.objects.create(
        invoice=adjusted, line=line, amount_minor=-150000, reason_code="other"
    )
    from legalops.invoices.services import totals_refresh

    totals_refresh(adjusted)
    line.refresh_from_db()
    assert line.approved_minor == 0  # 2,000 - 1,000 - 1,500, clamped at 0
    filed = appeal(adjusted, firm_a_user, 1, requested=Decimal("500"))
    decide(filed, 1, "reinstated", attorney)
    line.refresh_from_db()
    assert line.approved_minor == 50000
