"""The approved rate card is what the guidelines engine reads: the selector's rows build its
RateEntry directly, and the RATES.csv export parses back to the same book."""

import datetime
from dataclasses import asdict
from decimal import Decimal

from tests.factories import MatterFactory, TimekeeperFactory

from legalops.guidelines.rates import RateBook, parse_rates
from legalops.guidelines.records import RateEntry
from legalops.vendors import selectors, services


def test_rows_and_csv_feed_the_engine(admin, firm_a):
    keeper = TimekeeperFactory(
        firm=firm_a, timekeeper_id="JS", name="Smith, Jane", classification="PARTNR"
    )
    services.rate_create(
        actor=admin,
        firm=firm_a,
        timekeeper=keeper,
        rate=Decimal("900.1250"),
        effective_from=datetime.date(2026, 1, 1),
        effective_to=datetime.date(2026, 12, 31),
    )
    services.rate_create(
        actor=admin,
        firm=firm_a,
        classification="ASSOC",
        rate=Decimal("500"),
        effective_from=datetime.date(2026, 1, 1),
    )
    matter = MatterFactory(number="LIT-7", firms=[firm_a])
    services.rate_create(
        actor=admin,
        firm=firm_a,
        classification="ASSOC",
        matter=matter,
        rate=Decimal("450"),
        effective_from=datetime.date(2026, 1, 1),
    )
    book = RateBook(RateEntry(**asdict(row)) for row in selectors.rate_card_rows(firm=firm_a))
    parsed = parse_rates(selectors.rates_csv(firm=firm_a))
    for rates in (book, parsed):
        day = datetime.date(2026, 6, 1)
        partner = rates.lookup("36-1234567", "LIT-7", ("JS", "Smith, Jane", "PARTNR"), day)
        assert partner is not None and partner.entry.rate == Decimal("900.1250")
        scoped = rates.lookup("36-1234567", "LIT-7", ("", "", "ASSOC"), day)
        assert scoped is not None and scoped.entry.rate == Decimal("450")
        firm_wide = rates.lookup("36-1234567", "OTHER", ("", "", "ASSOC"), day)
        assert firm_wide is not None and firm_wide.entry.rate == Decimal("500")
        assert (
            rates.lookup("36-1234567", "", ("JS", "", "PARTNR"), datetime.date(2027, 1, 1)) is None
        )
