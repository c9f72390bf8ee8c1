"""Rate-card rules and time-entry rules."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from tests.guidelines.guidelines_builders import fee, flags, invoice, rates, run, skipped

ARNSLEY_300 = '36-1234567,TK1,"Arnsley, Robert",PARTNR,300,USD,2026-01-01,,'


class TestUnapprovedTimekeeper:
    def test_timekeeper_absent_from_the_card(self) -> None:
        result = run(
            invoice(fee(timekeeper_id="TK9", timekeeper_name="New, Person")),
            book=rates(ARNSLEY_300),
        )
        [(_, flag)] = flags(result, "unapproved-timekeeper")
        assert (
            "New, Person (PARTNR) is not on the approved rate card of firm 36-1234567"
            in flag.message
        )
        assert flag.action == "reject-line" and flag.amount == -600

    def test_matched_by_name_when_ids_differ(self) -> None:
        result = run(
            invoice(fee(timekeeper_id="X", timekeeper_name="Robert Arnsley")),
            book=rates(ARNSLEY_300),
        )
        assert not flags(result, "unapproved-timekeeper")

    def test_card_not_yet_effective_on_the_line_date(self) -> None:
        book = rates('36-1234567,TK1,"Arnsley, Robert",PARTNR,300,USD,2026-03-01,,')
        [(_, flag)] = flags(run(invoice(fee()), book=book), "unapproved-timekeeper")
        assert (
            "no approved rate effective on 2026-02-10 (approved 2026-03-01 to open)" in flag.message
        )

    def test_classification_wide_row_approves_the_class(self) -> None:
        book = rates("36-1234567,,,PARTNR,300,USD,2026-01-01,,")
        assert not flags(run(invoice(fee(timekeeper_id="TK7")), book=book), "unapproved-timekeeper")

    def test_row_for_another_matter_does_not_approve(self) -> None:
        book = rates('36-1234567,TK1,"Arnsley, Robert",PARTNR,300,USD,2026-01-01,,M-999')
        assert flags(run(invoice(fee()), book=book), "unapproved-timekeeper")

    def test_skipped_without_rates(self) -> None:
        assert (
            skipped(run(invoice(fee())))["unapproved-timekeeper"] == "no rate card given (--rates)"
        )


class TestRateAboveApproved:
    def test_reduced_to_the_approved_rate_naming_rate_and_date(self) -> None:
        result = run(invoice(fee(unit_cost="350")), book=rates(ARNSLEY_300))
        [(_, flag)] = flags(result, "rate-above-approved")
        assert flag.amount == Decimal("-100.00") and result.lines[0].approved == Decimal("600.00")
        assert (
            "rate 350 for Arnsley, Robert (PARTNR) on 2026-02-10 is above the approved 300 USD effective 2026-01-01"  # noqa: E501
            in flag.message
        )
        assert flag.evidence["rates_line"] == 2 and flag.evidence["matched_by"] == "timekeeper id"

    def test_at_the_approved_rate(self) -> None:
        assert not flags(run(invoice(fee()), book=rates(ARNSLEY_300)), "rate-above-approved")

    def test_matter_scoped_row_wins_over_firm_wide(self) -> None:
        book = rates(
            ARNSLEY_300, '36-1234567,TK1,"Arnsley, Robert",PARTNR,250,USD,2026-01-01,,M-100'
        )
        [(_, flag)] = flags(run(invoice(fee()), book=book), "rate-above-approved")
        assert flag.evidence["approved_rate"] == "250"

    def test_effective_dating_picks_the_row_of_the_line_date(self) -> None:
        book = rates(
            '36-1234567,TK1,"Arnsley, Robert",PARTNR,250,USD,2025-01-01,2026-01-31,',
            '36-1234567,TK1,"Arnsley, Robert",PARTNR,300,USD,2026-02-01,,',
        )
        assert not flags(run(invoice(fee()), book=book), "rate-above-approved")
        assert flags(
            run(invoice(fee(date=date(2026, 1, 31)), billing_start=date(2026, 1, 1)), book=book),
            "rate-above-approved",
        )


class TestDisallowedClassification:
    def test_legal_intern(self) -> None:
        [(_, flag)] = flags(run(invoice(fee(classification="LGLINT"))), "disallowed-classification")
        assert "classification LGLINT is not billable" in flag.message

    def test_partner_is_allowed(self) -> None:
        assert not flags(run(invoice(fee())), "disallowed-classification")

    def test_configured_list_and_legacy_codes(self) -> None:
        toml = '[rules.disallowed-classification]\nclassifications = ["PARALG"]\n'
        assert flags(run(invoice(fee(classification="PL")), toml), "disallowed-classification")


class TestTimeIncrement:
    def test_quarter_hour_rounded_down(self) -> None:
        result = run(invoice(fee(units="1.25")))
        [(_, flag)] = flags(result, "time-increment")
        assert "1.25 h is not a multiple of 0.1 h (rounded down: 1.2 h)" in flag.message
        assert flag.amount == Decimal("-15.00")

    def test_tenths_pass(self) -> None:
        assert not flags(run(invoice(fee(units="1.3"))), "time-increment")

    def test_increment_parameter(self) -> None:
        assert flags(
            run(invoice(fee(units="0.1")), "[rules.time-increment]\nincrement = 0.25\n"),
            "time-increment",
        )


class TestDailyHoursCap:
    def test_day_over_cap_names_total(self) -> None:
        result = run(
            invoice(
                fee("1", units="6", narrative="Draft brief section on damages"),
                fee("2", units="5.5", narrative="Review expert report on lost profits"),
            )
        )
        found = flags(result, "daily-hours-cap")
        assert [where for where, _ in found] == ["1", "2"]
        assert "billed 11.5 h on 2026-02-10 across 2 line(s) (cap 10 h)" in found[0][1].message
        assert found[0][1].action == "hold"

    def test_other_days_and_timekeepers_are_separate(self) -> None:
        lines = (
            fee("1", units="6"),
            fee("2", units="6", date=date(2026, 2, 11)),
            fee("3", units="6", timekeeper_id="TK2", narrative="x y z"),
        )
        assert not flags(run(invoice(*lines)), "daily-hours-cap")

    def test_reduce_takes_the_excess_off_the_last_lines(self) -> None:
        toml = '[rules.daily-hours-cap]\naction = "reduce"\n'
        result = run(
            invoice(
                fee("1", units="6", narrative="Draft brief section on damages"),
                fee("2", units="5.5", narrative="Review expert report on lost profits"),
            ),
            toml,
        )
        assert [line.approved for line in result.lines] == [Decimal("1800.00"), Decimal("1200.00")]


class TestLongEntry:
    def test_long_entry_warns(self) -> None:
        [(_, flag)] = flags(run(invoice(fee(units="9"))), "long-entry")
        assert flag.action == "warn" and flag.amount == 0 and "9 h (limit 8 h)" in flag.message

    def test_exactly_the_limit(self) -> None:
        assert not flags(run(invoice(fee(units="8"))), "long-entry")

    def test_reduce_to_the_limit(self) -> None:
        result = run(
            invoice(fee(units="9")),
            '[rules.long-entry]\naction = "reduce"\n[rules.daily-hours-cap]\nenabled = false\n',
        )
        assert result.lines[0].approved == Decimal("2400.00")
