"""The approvals/appeals/AP seed step: configuration always; on seeded invoices, chains for
the pending ones, appeals of adjusted ones and AP batches with payments for exported ones."""

import datetime
import random

import pytest
from tests.approvals.ebilling import BLOCK, CLEAN

from legalops import seed
from legalops.appeals.models import Appeal
from legalops.approvals.models import ApprovalTask, Delegation, Route, RoutingRule, TaskStatus
from legalops.invoices import workflow
from legalops.invoices.models import Invoice, State
from legalops.payables.models import ApBatch, ApBatchLine, Payment, VendorAccount
from legalops.seed import approvals as step
from legalops.seed.context import SeedContext
from legalops.seed.progress import Progress
from legalops.seed.scales import SCALES

TODAY = datetime.date(2026, 11, 28)


def context(**shared):
    ctx = SeedContext(scale=SCALES["small"], seed=4, today=TODAY, progress=Progress(enabled=False))
    ctx.shared.update(shared)
    return ctx


@pytest.mark.django_db
def test_a_small_seed_configures_routing_and_routes_its_invoices():
    report = seed.run(scale="small", seed=2, today=TODAY)
    assert list(RoutingRule.objects.values_list("name", flat=True)) == [
        "Large invoices",
        "Intellectual property",
        "Everything else",
    ]
    assert Delegation.objects.count() == 2
    assert VendorAccount.objects.count() == SCALES["small"].firms
    # the invoice step ran first: its pending invoices are routed, its exported ones batched
    pending = Invoice.objects.filter(state=State.PENDING_APPROVAL)
    assert pending.exists()
    assert Route.objects.filter(invoice__in=pending).count() == pending.count()
    exported = Invoice.objects.filter(state__in=(State.SENT_TO_AP, State.PAID))
    assert ApBatchLine.objects.filter(invoice__in=exported).count() == exported.count()
    assert report.counts["routing rules"] == 3


def test_the_step_routes_appeals_and_exports_the_seeded_invoices(
    bill, submitted, approved, admin, attorney, approver, firm_a, firm_a_user, monkeypatch
):
    from legalops.invoices.models import StateChange

    pending = bill(CLEAN)
    workflow.transition(pending, State.PENDING_APPROVAL, actor=None)  # as a bulk seed leaves it
    adjusted = [approved(BLOCK) for _ in range(3)]
    sent, paid = approved(CLEAN), approved(CLEAN)
    for invoice, state in ((sent, State.SENT_TO_AP), (paid, State.SENT_TO_AP), (paid, State.PAID)):
        workflow.transition(invoice, state, actor=None)
    monkeypatch.setattr(step, "APPEAL_SHARE", 1.0)  # appeal every adjusted invoice
    ctx = context(
        invoices=[pending, *adjusted, sent, paid],
        personas={"admin": admin, "attorney": attorney, "approver": approver},
        users=[admin, attorney, approver, firm_a_user],
        firms=[firm_a],
    )
    ctx.rng = random.Random(4)
    step.seed_approvals(ctx)

    task = ApprovalTask.objects.get(invoice=pending)
    assert (task.status, task.assignee) == (TaskStatus.PENDING, attorney)  # "Everything else"
    assert task.route.rule_name == "Everything else"

    appeals = Appeal.objects.filter(invoice__in=adjusted)
    assert appeals.count() == 3
    for appeal in appeals.select_related("invoice"):
        invoice = appeal.invoice
        assert appeal.filed_by == firm_a_user
        if appeal.status == "open":
            assert invoice.state == State.APPEALED
        else:
            assert invoice.state in (State.APPROVED, State.APPROVED_ADJUSTED)
            back = sum(i.reinstated_minor for i in appeal.items.all())
            assert invoice.approved_minor == 100000 + back  # 2,000 billed, halved, then appeal
        assert StateChange.objects.filter(invoice=invoice, to_state="appealed").exists()

    lines = ApBatchLine.objects.filter(invoice__in=[sent, paid])
    assert lines.count() == 2 and ApBatch.objects.count() >= 1
    assert lines.get(invoice=sent).values["vendor_number"] == "V-100001"
    payment = Payment.objects.get()
    assert (payment.invoice, payment.amount_minor) == (paid, 100000)
    assert Invoice.objects.get(pk=sent.pk).sent_to_ap_at is not None

    step.seed_approvals(context(invoices=[pending, sent, paid], personas={"admin": admin}))
    assert ApprovalTask.objects.filter(invoice=pending).count() == 1  # nothing twice
    assert ApBatchLine.objects.count() == 2 and Payment.objects.count() == 1
