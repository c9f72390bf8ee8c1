"""Two reviewers deciding the same line at once: the row lock lets exactly one through."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from tests.factories import TimekeeperFactory, UserFactory

from legalops.vendors import rate_requests
from legalops.vendors.models import Rate

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def test_a_line_is_approved_once_under_concurrent_decisions(firm_a, firm_a_user):
    keeper = TimekeeperFactory(firm=firm_a, classification="ASSOC")
    request = rate_requests.rate_request_create(actor=firm_a_user, firm=firm_a, fiscal_year=2027)
    line = rate_requests.rate_request_line_add(
        actor=firm_a_user, request=request, timekeeper=keeper, requested_rate=Decimal("500")
    )
    rate_requests.rate_request_submit(actor=firm_a_user, request=request)
    reviewers = [UserFactory(role="admin"), UserFactory(role="admin")]
    start, outcomes = threading.Barrier(2), []

    def decide(user):
        try:
            start.wait(timeout=10)
            rate_requests.rate_request_line_decide(actor=user, line=line, decision="approve")
            outcomes.append("approved")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=decide, args=(u,)) for u in reviewers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["approved", "refused"]
    assert (
        Rate.objects.filter(timekeeper=keeper, effective_from=datetime.date(2027, 1, 1)).count()
        == 1
    )
