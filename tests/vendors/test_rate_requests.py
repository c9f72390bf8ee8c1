import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from tests.factories import LawFirmFactory, TimekeeperFactory

from legalops.vendors import impact, selectors, services
from legalops.vendors import rate_requests as rr
from legalops.vendors.models import LineStatus, RateRequestStatus, RateSource

D = Decimal


@pytest.fixture
def setup(admin, firm_a):
    partner = TimekeeperFactory(firm=firm_a, timekeeper_id="P1", classification="PARTNR")
    associate = TimekeeperFactory(firm=firm_a, timekeeper_id="A1", classification="ASSOC")
    services.rate_create(
        actor=admin,
        firm=firm_a,
        timekeeper=partner,
        rate=D("800"),
        effective_from=datetime.date(2026, 1, 1),
    )
    services.rate_create(
        actor=admin,
        firm=firm_a,
        classification="ASSOC",
        rate=D("400"),
        effective_from=datetime.date(2025, 1, 1),
    )
    return partner, associate


@pytest.fixture
def submitted(setup, firm_a_user, firm_a):
    partner, associate = setup
    with time_machine.travel(datetime.datetime(2026, 9, 1, 12, tzinfo=datetime.UTC)):
        request = rr.rate_request_create(actor=firm_a_user, firm=firm_a, fiscal_year=2027)
        rr.rate_request_line_add(
            actor=firm_a_user, request=request, timekeeper=partner, requested_rate=D("880")
        )
        rr.rate_request_line_add(
            actor=firm_a_user, request=request, timekeeper=associate, requested_rate=D("450")
        )
        rr.rate_request_submit(actor=firm_a_user, request=request)
    return request


def lines(request):
    return {line.timekeeper.timekeeper_id: line for line in request.lines.all()}


def test_submission_fixes_the_prior_rates(submitted):
    by_id = lines(submitted)
    assert by_id["P1"].prior_rate == D("800")
    assert by_id["A1"].prior_rate == D("400")  # the classification's rate
    assert submitted.status == RateRequestStatus.SUBMITTED
    assert submitted.effective_from == datetime.date(2027, 1, 1)


def test_approval_puts_the_rate_on_the_card_and_ends_the_old_one(admin, submitted, firm_a):
    line = lines(submitted)["P1"]
    rr.rate_request_line_decide(actor=admin, line=line, decision="approve", comment="ok")
    rows = selectors.rate_list(user=admin, firm=firm_a, timekeeper=line.timekeeper).order_by(
        "effective_from"
    )
    assert [(r.rate, r.effective_from, r.effective_to) for r in rows] == [
        (D("800"), datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)),
        (D("880"), datetime.date(2027, 1, 1), None),
    ]
    assert rows[1].source == RateSource.NEGOTIATION and rows[1].approved_by == admin
    submitted.refresh_from_db()
    assert submitted.status == RateRequestStatus.IN_REVIEW


def test_counter_offer_accepted_by_the_firm_becomes_the_rate(admin, firm_a_user, submitted):
    partner, associate = lines(submitted)["P1"], lines(submitted)["A1"]
    rr.rate_request_line_decide(
        actor=admin, line=partner, decision="counter", counter_rate=D("840")
    )
    rr.rate_request_line_decide(actor=admin, line=associate, decision="reject")
    rr.rate_request_line_answer(actor=firm_a_user, line=partner, accept=True)
    partner.refresh_from_db()
    submitted.refresh_from_db()
    assert (partner.status, partner.approved_rate) == (LineStatus.APPROVED, D("840"))
    assert submitted.status == RateRequestStatus.DECIDED
    card = selectors.current_rate(
        firm=submitted.firm,
        timekeeper=partner.timekeeper,
        classification="PARTNR",
        on=datetime.date(2027, 3, 1),
    )
    assert card.rate == D("840") and card.approved_by == admin


def test_the_firm_replies_and_the_line_returns_to_legal_ops(admin, firm_a_user, submitted):
    line = lines(submitted)["P1"]
    rr.rate_request_line_decide(actor=admin, line=line, decision="counter", counter_rate=D("820"))
    rr.rate_request_line_answer(
        actor=firm_a_user, line=line, accept=False, rate=D("860"), comment="market"
    )
    line.refresh_from_db()
    assert (line.status, line.requested_rate) == (LineStatus.PENDING, D("860"))
    with pytest.raises(ValidationError, match="no counter-offer"):
        rr.rate_request_line_answer(actor=firm_a_user, line=line, accept=True)


def test_a_line_cannot_be_decided_twice(admin, submitted):
    line = lines(submitted)["P1"]
    rr.rate_request_line_decide(actor=admin, line=line, decision="approve")
    with pytest.raises(ValidationError, match="not awaiting"):
        rr.rate_request_line_decide(actor=admin, line=line, decision="reject")


def test_firm_b_cannot_see_or_act_on_firm_a_requests(submitted, firm_b_user, firm_a_user, attorney):
    assert not selectors.rate_request_list(user=firm_b_user).exists()
    assert list(selectors.rate_request_list(user=firm_a_user)) == [submitted]
    line = lines(submitted)["P1"]
    with pytest.raises(PermissionDenied):
        rr.rate_request_line_answer(actor=firm_b_user, line=line, accept=True)
    for actor in (firm_a_user, attorney):
        with pytest.raises(PermissionDenied):
            rr.rate_request_line_decide(actor=actor, line=line, decision="approve")


def test_drafts_stay_with_the_firm_and_one_proposal_per_timekeeper_a_year(
    setup, firm_a_user, firm_a, admin
):
    partner, _ = setup
    draft = rr.rate_request_create(actor=firm_a_user, firm=firm_a, fiscal_year=2027)
    rr.rate_request_line_add(
        actor=firm_a_user, request=draft, timekeeper=partner, requested_rate=D("900")
    )
    assert not selectors.rate_request_list(user=admin).exists()
    second = rr.rate_request_create(actor=firm_a_user, firm=firm_a, fiscal_year=2027)
    with pytest.raises(ValidationError, match="already has a proposal"):
        rr.rate_request_line_add(
            actor=firm_a_user, request=second, timekeeper=partner, requested_rate=D("1")
        )
    with pytest.raises(ValidationError, match="at least one"):
        rr.rate_request_submit(actor=firm_a_user, request=second)


def test_numbers_change_annualised_and_peers():
    assert impact.change_pct(D("800"), D("880")) == D("10.00")
    assert impact.change_pct(None, D("880")) is None
    # 10% over two years is about 4.88% a year
    two_years = impact.annualised_pct(
        D("800"), D("880"), datetime.date(2025, 1, 1), datetime.date(2027, 1, 1)
    )
    assert two_years == D("4.88")
    # Tenfold within three days annualises to a figure of 120+ digits: no percentage, no crash.
    steep = impact.annualised_pct(
        D("100"), D("1000"), datetime.date(2026, 1, 1), datetime.date(2026, 1, 4)
    )
    assert steep is None
    # A hundredfold within two days overflows the exponent itself.
    assert (
        impact.annualised_pct(
            D("100"), D("10000"), datetime.date(2026, 1, 1), datetime.date(2026, 1, 3)
        )
        is None
    )
    assert impact.percentile([D("100"), D("200"), D("300"), D("400")], 25) == D("175.00")
    peers = impact.peer_range([D("500"), D("700"), D("600")])
    assert (peers.count, peers.p25, peers.median, peers.p75) == (
        3,
        D("550.00"),
        D("600.00"),
        D("650.00"),
    )


def test_impact_uses_the_hours_source(submitted, admin):
    analysis = rr.rate_request_analysis(submitted)
    assert not analysis.hours_known and analysis.increase_minor is None
    partner = lines(submitted)["P1"]

    def hours(firm_id, start, end):
        assert (start, end) == (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
        return impact.BilledHours(by_timekeeper={partner.timekeeper_id: D("1000.5")})

    impact.hours_source_register(hours)
    try:
        analysis = rr.rate_request_analysis(submitted)
    finally:
        impact.hours_source_reset()
    by_id = {row.line.timekeeper.timekeeper_id: row for row in analysis.lines}
    # (880 - 800) x 1000.5 h = 80,040.00; 880 x 1000.5 = 880,440.00
    assert by_id["P1"].impact.increase_minor == 8_004_000
    assert by_id["P1"].impact.projected_minor == 88_044_000
    assert by_id["A1"].impact.hours == D("0")  # known source, no hours for that timekeeper
    assert analysis.increase_minor == 8_004_000 + 0


def test_policy_checks_cap_freeze_and_notice(admin, firm_a, setup, firm_a_user):
    services.law_firm_update(
        actor=admin,
        firm=firm_a,
        rate_increase_cap_pct=D("3"),
        rate_freeze_until=datetime.date(2027, 3, 31),
        rate_notice_days=120,
    )
    partner, _ = setup
    with time_machine.travel(datetime.datetime(2026, 11, 15, tzinfo=datetime.UTC)):
        request = rr.rate_request_create(actor=firm_a_user, firm=firm_a, fiscal_year=2027)
        rr.rate_request_line_add(
            actor=firm_a_user, request=request, timekeeper=partner, requested_rate=D("880")
        )
        rr.rate_request_submit(actor=firm_a_user, request=request)
    findings = rr.rate_request_analysis(request).lines[0].policy
    assert findings == [
        "10.00% a year is above the cap of 3.00%",
        "rates are frozen until 2027-03-31",
        "47 days' notice before it takes effect; the policy asks for 120",
    ]


def test_peer_range_ignores_inactive_firms_and_other_currencies(admin, firm_a, setup):
    for rate, status, currency in (
        ("600", "approved", "USD"),
        ("9999", "inactive", "USD"),
        ("1", "approved", "EUR"),
    ):
        firm = LawFirmFactory(status=status, currency=currency)
        services.rate_create(
            actor=admin,
            firm=firm,
            classification="PARTNR",
            rate=D(rate),
            effective_from=datetime.date(2026, 1, 1),
        )
    values = selectors.panel_rates(
        classification="PARTNR", on=datetime.date(2026, 12, 31), currency="USD"
    )
    assert sorted(values) == [D("600"), D("800")]  # firm A's partner counts as a peer too
