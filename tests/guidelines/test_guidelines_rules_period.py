"""Invoice and period rules: hit, miss and edge for each."""

from __future__ import annotations

from datetime import date

from tests.guidelines.guidelines_builders import expense, fee, flags, invoice, run, skipped


class TestLineOutsideBillingPeriod:
    def test_line_before_the_period_is_rejected_and_names_the_dates(self) -> None:
        result = run(invoice(fee(date=date(2026, 1, 31))))
        [(where, flag)] = flags(result, "line-outside-billing-period")
        assert where == "1" and flag.action == "reject-line" and flag.amount == -600
        assert "2026-01-31 is before the billing period 2026-02-01 to 2026-02-28" in flag.message
        assert flag.evidence["BILLING_START_DATE"] == "2026-02-01"

    def test_lines_inside_the_period_pass(self) -> None:
        assert not flags(
            run(invoice(fee(date=date(2026, 2, 1)), fee("2", date=date(2026, 2, 28)))),
            "line-outside-billing-period",
        )

    def test_no_billing_period_skips_the_rule(self) -> None:
        result = run(invoice(fee(), billing_start=None))
        assert "line-outside-billing-period" in skipped(result)


class TestBillingPeriodSpansMonths:
    def test_two_months(self) -> None:
        result = run(invoice(fee(), billing_start=date(2026, 1, 15), billing_end=date(2026, 2, 14)))
        [(where, flag)] = flags(result, "billing-period-spans-months")
        assert where == "invoice" and flag.action == "hold" and flag.amount == 0

    def test_one_month(self) -> None:
        assert not flags(run(invoice(fee())), "billing-period-spans-months")

    def test_same_month_of_another_year_still_spans(self) -> None:
        result = run(
            invoice(
                fee(date=date(2025, 2, 10)),
                billing_start=date(2025, 2, 1),
                billing_end=date(2026, 2, 28),
            )
        )
        assert flags(result, "billing-period-spans-months")


class TestLateInvoice:
    def test_late_names_days_and_limit(self) -> None:
        [(_, flag)] = flags(run(invoice(fee()), as_of=date(2026, 6, 30)), "late-invoice")
        assert (
            "122 days after the billing period ended on 2026-02-28 (limit 90 days)" in flag.message
        )
        assert flag.evidence["days"] == 122

    def test_on_the_limit_is_not_late(self) -> None:
        assert not flags(run(invoice(fee()), as_of=date(2026, 5, 29)), "late-invoice")

    def test_limit_is_a_parameter(self) -> None:
        result = run(
            invoice(fee()), "[rules.late-invoice]\nmax_days = 30\n", as_of=date(2026, 4, 1)
        )
        assert flags(result, "late-invoice")


class TestStaleLine:
    def test_old_line(self) -> None:
        [(_, flag)] = flags(
            run(invoice(fee(date=date(2025, 11, 1)), billing_start=date(2025, 11, 1))), "stale-line"
        )
        assert flag.action == "reject-line" and flag.evidence["days"] == 122

    def test_recent_line(self) -> None:
        assert not flags(run(invoice(fee())), "stale-line")

    def test_expense_lines_count_too(self) -> None:
        result = run(invoice(expense(date=date(2025, 10, 1)), billing_start=date(2025, 10, 1)))
        assert flags(result, "stale-line")


class TestFutureDatedLine:
    def test_line_after_invoice_date(self) -> None:
        result = run(invoice(fee(date=date(2026, 3, 5)), billing_end=date(2026, 3, 31)))
        [(_, flag)] = flags(result, "future-dated-line")
        assert "after the invoice date 2026-03-03" in flag.message

    def test_line_on_invoice_date(self) -> None:
        result = run(invoice(fee(date=date(2026, 3, 3)), billing_end=date(2026, 3, 31)))
        assert not flags(result, "future-dated-line")

    def test_no_invoice_date_skips(self) -> None:
        assert "future-dated-line" in skipped(run(invoice(fee(), invoice_date=None)))
