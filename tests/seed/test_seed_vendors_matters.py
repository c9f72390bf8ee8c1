import datetime

import pytest
from django.db.models import Count, Q

from legalops import seed
from legalops.matters.models import Accrual, AccrualPeriod, Budget, Matter, MatterFirm
from legalops.seed.scales import SCALES
from legalops.vendors.models import LawFirm, Rate, RateRequest, RateRequestStatus, Timekeeper
from legalops.vendors.services import overlapping_rates

TODAY = datetime.date(2026, 11, 28)


@pytest.fixture
def seeded(db):
    return seed.run(scale="small", seed=5, today=TODAY)


def test_scale_sizes_and_every_rate_request_state(seeded):
    scale = SCALES["small"]
    assert Matter.objects.count() == scale.matters
    assert Timekeeper.objects.count() == scale.firms * scale.timekeepers_per_firm
    assert set(RateRequest.objects.values_list("status", flat=True)) == set(
        RateRequestStatus.values
    )
    assert AccrualPeriod.objects.filter(status="open").count() == 1
    assert (
        Accrual.objects.exists() and Budget.objects.filter(approved_version__isnull=False).exists()
    )


def test_rate_cards_have_history_and_no_overlaps(seeded):
    keeper = Timekeeper.objects.filter(rates__isnull=False).first()
    history = list(Rate.objects.filter(timekeeper=keeper).order_by("effective_from"))
    assert len(history) >= 4 and history[-1].rate > history[0].rate
    for rate in Rate.objects.select_related("firm", "timekeeper")[:200]:
        clash = overlapping_rates(
            firm=rate.firm,
            timekeeper=rate.timekeeper,
            classification=rate.classification,
            matter_id=rate.matter_id,
            start=rate.effective_from,
            end=rate.effective_to,
            exclude_pk=rate.pk,
        )
        assert clash == [], rate


def test_the_demo_firms_have_matters_budgets_and_requests(seeded):
    for law_firm_id in ("36-1234567", "94-7654321"):
        firm = LawFirm.objects.get(law_firm_id=law_firm_id)
        assert MatterFirm.objects.filter(firm=firm).count() >= 5
        assert RateRequest.objects.filter(firm=firm).exists()
    assert Matter.objects.filter(Q(lead_attorney__username="attorney")).exists()
    types = Matter.objects.values("matter_type").annotate(n=Count("pk"))
    assert len(types) >= 5


def test_seeding_is_deterministic(db):
    from django.db import transaction

    def snapshot(value):
        point = transaction.savepoint_create()
        seed.run(scale="small", seed=value, today=TODAY)
        data = (
            list(Matter.objects.order_by("number").values_list("number", "name", "status")),
            list(
                Rate.objects.order_by(
                    "firm__law_firm_id",
                    "timekeeper__timekeeper_id",
                    "classification",
                    "effective_from",
                ).values_list("rate", flat=True)
            ),
            list(
                Accrual.objects.order_by(
                    "period__month", "matter__number", "firm__law_firm_id"
                ).values_list("current_minor", flat=True)
            ),
        )
        transaction.savepoint_rollback(point)
        return data

    assert snapshot(2) == snapshot(2)
