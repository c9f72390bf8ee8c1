"""Routing rules, multi-level chains with thresholds, delegates, send back, rejection and
auto-approval, through the e-billing core's services."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from tests.approvals.ebilling import BLOCK, CLEAN, EXPENSE
from tests.factories import BusinessUnitFactory, MatterFactory, UserFactory

from legalops.approvals import selectors, services
from legalops.approvals.models import ApprovalTask, Outcome, Route, TaskStatus
from legalops.approvals.services import RuleSpec, StepSpec
from legalops.invoices import services as invoices
from legalops.invoices.models import State, StateChange
from legalops.invoices.selectors import visible_invoices
from legalops.notifications.models import Notification
from legalops.organization.services import fx_rate_set

TODAY = datetime.date(2026, 12, 1)


def rule(name, *steps, **conditions):
    return services.routing_rule_save(
        actor=None, rule=None, spec=RuleSpec(name=name, steps=tuple(steps), **conditions)
    )


def person(user):
    return StepSpec(kind="user", user=user)


def pending(invoice):
    return ApprovalTask.objects.get(invoice=invoice, status=TaskStatus.PENDING)


def states(invoice):
    return list(
        StateChange.objects.filter(invoice=invoice)
        .order_by("at", "pk")
        .values_list("to_state", flat=True)
    )


def test_without_rules_the_matters_lead_attorney_approves(submitted, attorney, approver):
    invoice = submitted(CLEAN, EXPENSE)  # 1,120.00, no flags
    assert invoice.state == State.PENDING_APPROVAL
    task = pending(invoice)
    assert task.assignee == attorney and task.route.rule_name.startswith("default chain")
    with pytest.raises(PermissionDenied, match="waits for"):
        invoices.invoice_approve(actor=approver, invoice=invoice)
    invoice = invoices.invoice_approve(actor=attorney, invoice=invoice, comment="fine")
    assert invoice.state == State.APPROVED
    assert Route.objects.get(invoice=invoice).outcome == Outcome.APPROVED
    assert states(invoice) == ["in_review", "pending_approval", "approved"]


def test_the_first_matching_rule_in_order_routes(submitted, approver, admin):
    finance = UserFactory(role="approver", username="cfo")
    big = rule("Over 1,000", person(finance), amount_over=Decimal("1000"))
    rule("Litigation", person(approver), matter_types=("litigation",))
    invoice = submitted(CLEAN, EXPENSE)  # 1,120.00 litigation: both match, the first wins
    assert pending(invoice).assignee == finance
    services.routing_rule_move(actor=admin, rule=big, up=False)
    invoices.invoice_reject(
        actor=finance, invoice=invoice, reason_code="other", comment="duplicate of INV-9"
    )
    second = submitted(CLEAN, EXPENSE)
    assert pending(second).assignee == approver


def test_levels_apply_from_their_threshold_and_the_last_level_approves(
    submitted, attorney, approver, admin
):
    cfo = UserFactory(role="approver", username="cfo")
    rule(
        "Everything",
        StepSpec(kind="lead_attorney"),
        StepSpec(kind="user", user=approver, above=Decimal("1000")),
        StepSpec(kind="user", user=cfo, above=Decimal("50000")),
    )
    invoice = submitted(CLEAN, EXPENSE)  # 1,120.00: levels 1 and 2, not 3
    tasks = list(ApprovalTask.objects.filter(invoice=invoice).order_by("level"))
    assert [(t.level, t.assignee, t.status) for t in tasks] == [
        (1, attorney, TaskStatus.PENDING),
        (2, approver, TaskStatus.WAITING),
    ]
    invoice = invoices.invoice_approve(actor=attorney, invoice=invoice)
    assert invoice.state == State.PENDING_APPROVAL
    assert pending(invoice).assignee == approver
    assert Notification.objects.filter(user=approver, kind="approval_waiting").count() == 1
    with pytest.raises(PermissionDenied):
        invoices.invoice_approve(actor=attorney, invoice=invoice)
    invoice = invoices.invoice_approve(actor=approver, invoice=invoice)
    assert invoice.state == State.APPROVED
    small = submitted(Fee_of("0.5"))  # 250.00: level 2 is not needed
    assert ApprovalTask.objects.filter(invoice=small).count() == 1


def Fee_of(hours):  # noqa: N802
    from tests.invoices.builders import Fee

    return Fee(hours, "500.00", "Draft motion to compel production of emails")


def test_adjusted_invoices_are_approved_with_adjustments(submitted, attorney):
    invoice = submitted(BLOCK)  # the reduction accepted on submission
    invoice = invoices.invoice_approve(actor=attorney, invoice=invoice)
    assert invoice.state == State.APPROVED_ADJUSTED
    assert invoice.approved_minor == 100000


def test_amounts_are_compared_in_the_reporting_currency(bill, admin, approver, firm_a, attorney):
    MatterFactory(number="EU-1", currency="EUR", firms=[firm_a], lead_attorney=attorney)
    rule("Over 1,000 USD", person(approver), amount_over=Decimal("1000"))
    invoice = bill(Fee_of("2.0"), matter="EU-1")  # 1,000.00 EUR
    assert invoice.currency == "EUR"
    for flag in invoice.flags.all():  # the USD rate card does not price EUR work
        invoices.flag_decide(actor=admin, flag=flag, accept=True)
    with pytest.raises(ValidationError, match="no EUR/USD exchange rate"):
        invoices.invoice_submit_for_approval(actor=admin, invoice=invoice)
    fx_rate_set(
        actor=None, base="EUR", quote="USD", date=datetime.date(2026, 1, 1), rate=Decimal("1.1")
    )
    invoice = invoices.invoice_submit_for_approval(actor=admin, invoice=invoice)
    route = Route.objects.get(invoice=invoice)
    assert (route.amount_minor, route.currency) == (110000, "USD")
    assert pending(invoice).assignee == approver


def test_business_unit_practice_area_and_firm_conditions(submitted, matter_a, approver, firm_b):
    unit = BusinessUnitFactory(code="RETAIL")
    rule("Retail only", person(approver), business_units=(unit,))
    rule("Firm B only", person(approver), firms=(firm_b,))
    invoice = submitted(CLEAN)
    assert pending(invoice).route.rule_name.startswith("default chain")
    matter_a.business_unit = unit
    matter_a.save()
    assert pending(submitted(CLEAN)).route.rule_name == "Retail only"


def test_a_named_person_approves_once_and_a_missing_lead_falls_to_legal_ops(
    submitted, matter_a, attorney
):
    rule("Lead twice", StepSpec(kind="lead_attorney"), person(attorney))
    invoice = submitted(CLEAN)
    assert ApprovalTask.objects.filter(invoice=invoice).count() == 1
    matter_a.lead_attorney = None
    matter_a.save()
    task = pending(submitted(CLEAN))
    assert task.assignee is None and task.pool_role == "admin"
    assert "no lead attorney" in task.note


def test_rules_are_validated(approver, requester):
    with pytest.raises(ValidationError, match="level 1 applies"):
        rule("x", StepSpec(kind="user", user=approver, above=Decimal("5")))
    with pytest.raises(ValidationError, match="who may approve"):
        rule("x", person(requester))
    with pytest.raises(ValidationError, match="at least one"):
        rule("x")
    with pytest.raises(ValidationError, match="more than"):
        rule("x", person(approver), amount_over=Decimal("10"), amount_up_to=Decimal("10"))
    with pytest.raises(ValidationError, match="role of the pool"):
        rule("x", StepSpec(kind="pool", pool_role="firm"))
    with pytest.raises(PermissionDenied):
        services.routing_rule_save(
            actor=approver, rule=None, spec=RuleSpec(name="x", steps=(person(approver),))
        )


def test_a_delegate_acts_for_the_approver_only_while_the_delegation_runs(
    submitted, approver, time_machine
):
    time_machine.move_to(datetime.datetime(2026, 12, 1, 9, tzinfo=datetime.UTC))
    stand_in = UserFactory(role="approver", username="deputy")
    rule("Finance", person(approver))
    invoice = submitted(CLEAN)
    assert not visible_invoices(stand_in).filter(pk=invoice.pk).exists()
    services.delegation_create(
        actor=approver,
        delegator=approver,
        delegate=stand_in,
        starts_on=datetime.date(2026, 12, 2),
        ends_on=datetime.date(2026, 12, 10),
    )
    with pytest.raises(PermissionDenied):
        invoices.invoice_approve(actor=stand_in, invoice=invoice)
    time_machine.move_to(datetime.datetime(2026, 12, 3, 9, tzinfo=datetime.UTC))
    assert visible_invoices(stand_in).filter(pk=invoice.pk).exists()
    assert list(selectors.approval_queue(user=stand_in)) == [pending(invoice)]
    invoice = invoices.invoice_approve(actor=stand_in, invoice=invoice)
    task = ApprovalTask.objects.get(invoice=invoice)
    assert (task.decided_by, task.on_behalf_of) == (stand_in, approver)
    assert invoice.state == State.APPROVED


def test_delegations_are_checked(approver, attorney, requester):
    day = datetime.date(2030, 1, 1)
    make = services.delegation_create
    with pytest.raises(PermissionDenied):
        make(actor=attorney, delegator=approver, delegate=attorney, starts_on=day, ends_on=day)
    with pytest.raises(ValidationError, match="may not approve"):
        make(actor=approver, delegator=approver, delegate=requester, starts_on=day, ends_on=day)
    make(actor=approver, delegator=approver, delegate=attorney, starts_on=day, ends_on=day)
    with pytest.raises(ValidationError, match="already delegates"):
        make(actor=approver, delegator=approver, delegate=attorney, starts_on=day, ends_on=day)
    with pytest.raises(ValidationError, match="already over"):
        make(
            actor=approver,
            delegator=approver,
            delegate=attorney,
            starts_on=datetime.date(2020, 1, 1),
            ends_on=datetime.date(2020, 1, 2),
        )


def test_sending_back_returns_the_invoice_to_review_and_resubmitting_routes_again(
    submitted, attorney, admin
):
    invoice = submitted(CLEAN)
    with pytest.raises(ValidationError, match="tell the reviewer"):
        services.approval_send_back(actor=attorney, invoice=invoice, comment=" ")
    invoice = services.approval_send_back(
        actor=attorney, invoice=invoice, comment="check the hours on 5 November"
    )
    assert invoice.state == State.IN_REVIEW
    assert Route.objects.get(invoice=invoice).outcome == Outcome.SENT_BACK
    note = Notification.objects.get(kind="invoice_sent_back", user=admin)
    assert "check the hours" in note.body
    invoices.invoice_submit_for_approval(actor=admin, invoice=invoice)
    outcomes = sorted(Route.objects.filter(invoice=invoice).values_list("outcome", flat=True))
    assert outcomes == ["open", "sent_back"]


def test_only_the_pending_levels_approver_rejects_and_the_firm_is_told(
    submitted, approver, attorney, firm_a_user
):
    invoice = submitted(CLEAN)
    with pytest.raises(PermissionDenied):
        invoices.invoice_reject(actor=approver, invoice=invoice, reason_code="other", comment="no")
    invoices.invoice_reject(
        actor=attorney, invoice=invoice, reason_code="billing-error", comment="wrong matter"
    )
    task = ApprovalTask.objects.get(invoice=invoice)
    assert (task.status, task.decided_by) == (TaskStatus.REJECTED, attorney)
    note = Notification.objects.get(user=firm_a_user, kind="invoice_rejected")
    assert "wrong matter" in note.body


def test_legal_ops_may_act_for_any_level(submitted, admin, attorney):
    invoice = invoices.invoice_approve(actor=admin, invoice=submitted(CLEAN))
    task = ApprovalTask.objects.get(invoice=invoice)
    assert (task.decided_by, task.on_behalf_of, invoice.state) == (admin, attorney, "approved")


def test_the_system_approves_every_remaining_level(submitted, approver):
    rule("Two", StepSpec(kind="lead_attorney"), person(approver))
    invoice = invoices.invoice_approve(actor=None, invoice=submitted(CLEAN))
    assert invoice.state == State.APPROVED
    assert set(ApprovalTask.objects.values_list("status", flat=True)) == {"approved"}


def test_an_invoice_made_pending_without_a_route_is_routed_when_approved(bill, attorney):
    from legalops.invoices import workflow

    invoice = bill(CLEAN)
    workflow.transition(invoice, State.PENDING_APPROVAL, actor=None)  # e.g. an import
    invoice = invoices.invoice_approve(actor=attorney, invoice=invoice)
    assert invoice.state == State.APPROVED


def test_clean_invoices_under_the_threshold_are_auto_approved_on_submission(bill, admin):
    clean, adjusted, over, proposed = bill(CLEAN), bill(BLOCK), bill(CLEAN, CLEAN), bill(BLOCK)
    threshold(admin, "1500")  # after intake, so that the submission decides

    def submit(invoice, accept=True):
        for flag in invoice.flags.all() if accept else ():
            invoices.flag_decide(actor=admin, flag=flag, accept=True)
        return invoices.invoice_submit_for_approval(actor=admin, invoice=invoice)

    assert submit(clean).state == State.APPROVED  # no flags, 1,000.00
    assert Route.objects.get(invoice=clean).outcome == Outcome.AUTO_APPROVED
    assert states(clean)[-2:] == ["pending_approval", "approved"]
    assert submit(adjusted).state == State.APPROVED_ADJUSTED  # flag accepted: 1,000.00 left
    assert submit(over).state == State.PENDING_APPROVAL  # 2,000.00
    assert submit(proposed, accept=False).state == State.PENDING_APPROVAL  # flag undecided


def threshold(admin, amount):
    services.approval_policy_set(
        actor=admin,
        auto_approve_below=Decimal(amount),
        remind_after_days=3,
        escalate_after_days=7,
        escalation_user=None,
    )


def test_clean_invoices_are_auto_approved_right_after_intake(bill, admin):
    threshold(admin, "1500")
    invoice = bill(CLEAN)
    assert invoice.state == State.APPROVED
    assert states(invoice) == ["in_review", "pending_approval", "approved"]
    assert StateChange.objects.filter(invoice=invoice, actor__isnull=False).count() == 0
    assert bill(BLOCK).state == State.IN_REVIEW  # a proposed flag: a person looks first
    assert bill(CLEAN, CLEAN).state == State.IN_REVIEW  # over the threshold


def test_auto_approval_is_off_until_a_threshold_is_set(bill):
    assert bill(CLEAN).state == State.IN_REVIEW


def test_bulk_approval_reports_each_refusal(submitted, attorney, approver):
    mine = submitted(CLEAN)
    rule("Finance", person(approver))
    theirs = submitted(CLEAN)
    result = services.approvals_bulk(actor=attorney, invoices=[mine, theirs])
    assert [i.pk for i in result.approved] == [mine.pk]
    assert [(i.pk, "waits for" in why) for i, why in result.refused] == [(theirs.pk, True)]


def test_approvers_see_only_invoices_routed_to_them(submitted, approver, attorney):
    outsider = UserFactory(role="attorney", username="gc")
    invoice = submitted(CLEAN)
    assert not visible_invoices(approver).filter(pk=invoice.pk).exists()
    assert not visible_invoices(outsider).filter(pk=invoice.pk).exists()
    rule("GC then finance", person(outsider), person(approver))
    routed = submitted(CLEAN)
    assert visible_invoices(outsider).filter(pk=routed.pk).exists()
    assert visible_invoices(approver).filter(pk=routed.pk).exists()  # waiting, yet routed
    assert list(selectors.approval_queue(user=approver)) == []
    assert [t.invoice_id for t in selectors.approval_queue(user=outsider)] == [routed.pk]


def test_a_pool_level_is_open_to_every_member(submitted, approver):
    other = UserFactory(role="approver", username="controller")
    rule("Finance pool", StepSpec(kind="pool", pool_role="approver"))
    invoice = submitted(CLEAN)
    assert {n.user for n in Notification.objects.filter(kind="approval_waiting")} == {
        approver,
        other,
    }
    invoice = invoices.invoice_approve(actor=other, invoice=invoice)
    assert invoice.state == State.APPROVED
