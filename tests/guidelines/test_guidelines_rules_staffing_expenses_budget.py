"""Multiple attendance, expense rules and the budget rule."""

from __future__ import annotations

from decimal import Decimal

from tests.guidelines.guidelines_builders import expense, fee, flags, invoice, run, skipped

from legalops.guidelines.records import Budget


def attendee(number: str, tk: str, name: str, cls: str, rate: str, narrative: str) -> object:
    return fee(
        number,
        narrative=narrative,
        timekeeper_id=tk,
        timekeeper_name=name,
        classification=cls,
        unit_cost=rate,
    )


class TestMultipleAttendance:
    def test_all_but_the_senior_attendee_rejected(self) -> None:
        result = run(
            invoice(
                attendee(
                    "1",
                    "TK2",
                    "Beaster, John",
                    "ASSOC",
                    "200",
                    "Attend deposition of plaintiff's expert Dr. Kessler",
                ),
                attendee(
                    "2",
                    "TK1",
                    "Arnsley, Robert",
                    "PARTNR",
                    "300",
                    "Defend deposition of Dr. Kessler",
                ),
            )
        )
        [(where, flag)] = flags(result, "multiple-attendance")
        assert where == "1" and flag.evidence["kept"] == ["2"]
        assert "2 timekeepers billed the same deposition on 2026-02-10 (limit 1)" in flag.message

    def test_different_events_same_day(self) -> None:
        result = run(
            invoice(
                attendee(
                    "1", "TK2", "Beaster, John", "ASSOC", "200", "Attend deposition of Dr. Kessler"
                ),
                attendee(
                    "2",
                    "TK1",
                    "Arnsley, Robert",
                    "PARTNR",
                    "300",
                    "Attend hearing on motion to compel",
                ),
            )
        )
        assert not flags(result, "multiple-attendance")

    def test_max_attendees_two_allows_a_pair(self) -> None:
        lines = (
            attendee(
                "1",
                "TK2",
                "Beaster, John",
                "ASSOC",
                "200",
                "Attend meeting with client CFO regarding settlement terms",
            ),
            attendee(
                "2",
                "TK1",
                "Arnsley, Robert",
                "PARTNR",
                "300",
                "Meeting with client CFO regarding settlement terms",
            ),
        )
        assert not flags(
            run(invoice(*lines), "[rules.multiple-attendance]\nmax_attendees = 2\n"),
            "multiple-attendance",
        )


class TestDisallowedExpense:
    def test_postage_code(self) -> None:
        [(_, flag)] = flags(
            run(invoice(expense(expense_code="E108", narrative="Postage"))), "disallowed-expense"
        )
        assert "E108 is overhead" in flag.message

    def test_court_reporter(self) -> None:
        assert not flags(run(invoice(expense())), "disallowed-expense")

    def test_overhead_named_in_narrative(self) -> None:
        found = flags(
            run(
                invoice(expense(expense_code="E124", narrative="Secretarial overtime, trial week"))
            ),
            "disallowed-expense",
        )
        assert found and "'secretarial'" in found[0][1].message


class TestExpenseCap:
    def test_copies_above_ten_cents_reduced_to_cap(self) -> None:
        result = run(
            invoice(
                expense(expense_code="E101", narrative="Copies", units="1000", unit_cost="0.25")
            )
        )
        [(_, flag)] = flags(result, "expense-cap")
        assert flag.amount == Decimal("-150.00") and result.lines[0].approved == Decimal("100.00")

    def test_at_the_cap(self) -> None:
        assert not flags(
            run(invoice(expense(expense_code="E101", units="100", unit_cost="0.10"))), "expense-cap"
        )

    def test_line_cap(self) -> None:
        toml = '[rules.expense-cap]\nline_caps = { E110 = "1500.00" }\n'
        result = run(
            invoice(expense(expense_code="E110", narrative="Airfare economy", unit_cost="1800")),
            toml,
        )
        assert result.lines[0].approved == Decimal("1500.00")


class TestOverBudget:
    def test_invoice_takes_matter_over_budget(self) -> None:
        budget = Budget(amount=Decimal("10000"), approved_to_date=Decimal("10500"), currency="USD")
        [(_, flag)] = flags(run(invoice(fee()), budgets=(budget,)), "over-budget")
        assert (
            "takes the matter to 11100.00 against a budget of 10000.00 (tolerance 10%)"
            in flag.message
        )

    def test_within_tolerance(self) -> None:
        budget = Budget(amount=Decimal("10000"), approved_to_date=Decimal("9500"), currency="USD")
        assert not flags(run(invoice(fee()), budgets=(budget,)), "over-budget")

    def test_phase_budget_counts_only_that_phase_and_approved_amounts(self) -> None:
        budget = Budget(
            amount=Decimal("500"), approved_to_date=Decimal("0"), currency="USD", phase="L300"
        )
        other_phase = fee(
            "2",
            task_code="L210",
            narrative="Draft answer to amended complaint",
            date=fee().date.replace(day=12),
        )
        assert flags(run(invoice(fee(), other_phase), budgets=(budget,)), "over-budget")
        assert "over-budget" in skipped(run(invoice(fee())))
