"""Two approvers approving the same level at the same moment: the invoice's row lock lets
exactly one through, and the invoice is approved once."""

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from tests.approvals.ebilling import CLEAN
from tests.factories import UserFactory

from legalops.approvals import services
from legalops.approvals.models import ApprovalTask, TaskStatus
from legalops.approvals.services import RuleSpec, StepSpec
from legalops.invoices import services as invoices
from legalops.invoices.models import StateChange

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def test_a_level_is_approved_once_under_concurrent_approvals(submitted):
    UserFactory(role="approver", username="controller-1")
    UserFactory(role="approver", username="controller-2")
    services.routing_rule_save(
        actor=None,
        rule=None,
        spec=RuleSpec(name="Finance pool", steps=(StepSpec(kind="pool", pool_role="approver"),)),
    )
    invoice = submitted(CLEAN)
    people = list(UserFactory._meta.model.objects.filter(username__startswith="controller"))
    start, outcomes = threading.Barrier(2), []

    def approve(user):
        try:
            start.wait(timeout=10)
            invoices.invoice_approve(actor=user, invoice=invoice)
            outcomes.append("approved")
        except (ValidationError, PermissionDenied):
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(u,)) for u in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["approved", "refused"]
    task = ApprovalTask.objects.get(invoice=invoice)
    assert task.status == TaskStatus.APPROVED and task.decided_by in people
    assert StateChange.objects.filter(invoice=invoice, to_state="approved").count() == 1
