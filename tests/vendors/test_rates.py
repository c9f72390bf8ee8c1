import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from tests.factories import MatterFactory, TimekeeperFactory

from legalops.vendors import selectors, services
from legalops.vendors.models import Rate

D = Decimal
JAN1 = datetime.date(2026, 1, 1)


@pytest.fixture
def keeper(firm_a):
    return TimekeeperFactory(
        firm=firm_a, timekeeper_id="JS", name="Smith, Jane", classification="PARTNR"
    )


def add(admin, firm, **kw):
    kw.setdefault("effective_from", JAN1)
    return services.rate_create(actor=admin, firm=firm, **kw)


def test_overlapping_ranges_of_the_same_key_are_refused(admin, firm_a, keeper):
    add(admin, firm_a, timekeeper=keeper, rate=D("900"), effective_to=datetime.date(2026, 12, 31))
    with pytest.raises(ValidationError, match="overlaps"):
        add(
            admin,
            firm_a,
            timekeeper=keeper,
            rate=D("950"),
            effective_from=datetime.date(2026, 6, 1),
        )
    # the classification, another matter and the next year are other keys or ranges
    add(admin, firm_a, classification="PARTNR", rate=D("850"))
    matter = MatterFactory(firms=[firm_a])
    add(admin, firm_a, timekeeper=keeper, matter=matter, rate=D("800"))
    add(admin, firm_a, timekeeper=keeper, rate=D("990"), effective_from=datetime.date(2027, 1, 1))
    with pytest.raises(ValidationError, match="overlaps"):
        add(
            admin,
            firm_a,
            classification="partnr",
            rate=D("1"),
            effective_from=datetime.date(2027, 1, 1),
        )


def test_rates_are_exact_positive_and_at_most_four_places(admin, firm_a, keeper):
    with pytest.raises(ValidationError, match="positive"):
        add(admin, firm_a, timekeeper=keeper, rate=D("0"))
    with pytest.raises(ValidationError, match="4 decimal places"):
        add(admin, firm_a, timekeeper=keeper, rate=D("1.23456"))
    rate = add(admin, firm_a, timekeeper=keeper, rate=D("1234.5678"))
    assert Rate.objects.get(pk=rate.pk).rate == D("1234.5678")


def test_only_legal_ops_maintain_the_rate_card(attorney, firm_a_user, firm_a, keeper):
    for actor in (attorney, firm_a_user):
        with pytest.raises(PermissionDenied):
            add(actor, firm_a, timekeeper=keeper, rate=D("1"))


def test_the_rate_card_selector_returns_rates_csv_rows(admin, firm_a, firm_b, keeper):
    add(
        admin, firm_a, timekeeper=keeper, rate=D("900.50"), effective_to=datetime.date(2026, 12, 31)
    )
    add(admin, firm_a, classification="ASSOC", rate=D("500"))
    matter = MatterFactory(number="LIT-1", firms=[firm_a])
    other = MatterFactory(number="LIT-2", firms=[firm_a])
    add(admin, firm_a, classification="ASSOC", matter=matter, rate=D("450"))
    add(admin, firm_a, classification="ASSOC", matter=other, rate=D("440"))
    add(admin, firm_b, classification="ASSOC", rate=D("1"))
    rows = selectors.rate_card_rows(firm=firm_a, matter_number="LIT-1")
    assert [(r.timekeeper_id, r.classification, r.rate, r.client_matter_id) for r in rows] == [
        ("", "ASSOC", D("500"), ""),
        ("", "ASSOC", D("450"), "LIT-1"),
        ("JS", "PARTNR", D("900.50"), ""),
    ]
    first = rows[2]
    assert (first.law_firm_id, first.timekeeper_name, first.currency) == (
        "36-1234567",
        "Smith, Jane",
        "USD",
    )
    assert first.effective_to == datetime.date(2026, 12, 31)
    assert len(selectors.rate_card_rows(firm=firm_a)) == 4


def test_firm_b_cannot_see_firm_a_timekeepers_or_rates(admin, firm_a, firm_b_user, keeper):
    add(admin, firm_a, timekeeper=keeper, rate=D("900"))
    assert not selectors.timekeeper_list(user=firm_b_user).exists()
    assert not selectors.rate_list(user=firm_b_user).exists()
    with pytest.raises(PermissionDenied):
        services.timekeeper_create(
            actor=firm_b_user, firm=firm_a, timekeeper_id="X", name="X", classification="ASSOC"
        )


def test_a_firm_user_adds_its_own_timekeepers(firm_a_user, firm_a):
    keeper = services.timekeeper_create(
        actor=firm_a_user,
        firm=firm_a,
        timekeeper_id=" AB1 ",
        name="Brown, Al",
        classification="assoc",
        bar_admission_year=2019,
        diversity=["woman", "woman", ""],
    )
    assert (keeper.timekeeper_id, keeper.classification, keeper.diversity) == (
        "AB1",
        "ASSOC",
        ["woman"],
    )
    with pytest.raises(ValidationError, match="already exists"):
        services.timekeeper_create(
            actor=firm_a_user, firm=firm_a, timekeeper_id="AB1", name="X", classification="ASSOC"
        )
    with pytest.raises(ValidationError, match="not a LOC"):
        services.timekeeper_create(
            actor=firm_a_user, firm=firm_a, timekeeper_id="Z", name="Z", classification="BOSS"
        )


def test_evaluations_score_one_to_five_and_are_internal(admin, attorney, firm_a, firm_a_user):
    with pytest.raises(ValidationError):
        services.firm_evaluate(
            actor=attorney,
            firm=firm_a,
            period="2026",
            quality=6,
            responsiveness=3,
            budget_accuracy=3,
            value=3,
        )
    evaluation = services.firm_evaluate(
        actor=attorney,
        firm=firm_a,
        period="2026",
        quality=5,
        responsiveness=4,
        budget_accuracy=3,
        value=4,
        comments="solid",
    )
    assert evaluation.average == D("4.00")
    assert list(selectors.evaluation_list(user=admin)) == [evaluation]
    assert not selectors.evaluation_list(user=firm_a_user).exists()
    with pytest.raises(PermissionDenied):
        services.firm_evaluate(
            actor=firm_a_user,
            firm=firm_a,
            period="2026",
            quality=5,
            responsiveness=5,
            budget_accuracy=5,
            value=5,
        )
