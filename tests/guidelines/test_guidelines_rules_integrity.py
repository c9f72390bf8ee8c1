"""Duplicates, matter close date, UTBMS codes, currency."""

from __future__ import annotations

from datetime import date

from tests.guidelines.guidelines_builders import expense, fee, flags, invoice, rates, run, skipped

from legalops.guidelines.records import Matter


class TestDuplicateInvoice:
    def test_same_firm_and_number_in_history(self) -> None:
        result = run(invoice(fee()), history=(invoice(fee()),))
        [(where, flag)] = flags(result, "duplicate-invoice")
        assert where == "invoice" and flag.action == "reject-invoice"
        assert result.approved == 0 and result.returned

    def test_other_number_is_not_a_duplicate(self) -> None:
        assert not flags(
            run(invoice(fee()), history=(invoice(fee(), invoice_number="INV-0"),)),
            "duplicate-invoice",
        )

    def test_without_history_the_rule_is_skipped(self) -> None:
        assert "duplicate-invoice" in skipped(run(invoice(fee())))


class TestDuplicateLine:
    def test_repeated_line_in_the_same_invoice(self) -> None:
        result = run(invoice(fee("1"), fee("2")))
        [(where, flag)] = flags(result, "duplicate-line")
        assert where == "2" and flag.evidence["duplicate_of"] == "line 1"

    def test_near_identical_narrative_in_an_earlier_invoice(self) -> None:
        earlier = invoice(
            fee("7", narrative="Draft motion to compel production of 2024 sales ledgers."),
            invoice_number="INV-0",
        )
        [(where, flag)] = flags(run(invoice(fee("1")), history=(earlier,)), "duplicate-line")
        assert "invoice INV-0 line 7" in flag.message

    def test_different_narrative_or_hours_is_not_a_duplicate(self) -> None:
        other = fee("2", narrative="Review deposition transcript of plant manager for admissions")
        assert not flags(run(invoice(fee("1"), other, fee("3", units="1.5"))), "duplicate-line")


class TestMatterClosed:
    def test_work_after_close(self) -> None:
        result = run(
            invoice(fee(date=date(2026, 2, 20))), matter=Matter("M-100", closed=date(2026, 2, 15))
        )
        [(_, flag)] = flags(result, "matter-closed")
        assert "after the matter closed on 2026-02-15" in flag.message

    def test_grace_days(self) -> None:
        toml = "[rules.matter-closed]\ngrace_days = 10\n"
        result = run(
            invoice(fee(date=date(2026, 2, 20))),
            toml,
            matter=Matter("M-100", closed=date(2026, 2, 15)),
        )
        assert not flags(result, "matter-closed")

    def test_skipped_without_close_date(self) -> None:
        reason = skipped(run(invoice(fee()), matter=Matter("M-100")))["matter-closed"]
        # Inside the platform the matter is known and open: the reason must not say "offline".
        assert reason == "the matter has no close date (it is open)"

    def test_skipped_offline_without_matter_data(self) -> None:
        reason = skipped(run(invoice(fee())))["matter-closed"]
        assert reason == "no matter data offline (needs the matter's close date)"


class TestMissingUtbmsCode:
    def test_fee_without_activity(self) -> None:
        [(_, flag)] = flags(run(invoice(fee(activity_code=""))), "missing-utbms-code")
        assert (
            flag.message == "fee line without LINE_ITEM_ACTIVITY_CODE"
            and flag.action == "reject-invoice"
        )

    def test_complete_codes(self) -> None:
        assert not flags(run(invoice(fee(), expense())), "missing-utbms-code")

    def test_require_list_narrows_the_check(self) -> None:
        toml = '[rules.missing-utbms-code]\nrequire = ["expense"]\n'
        assert not flags(
            run(invoice(fee(activity_code="", task_code="")), toml), "missing-utbms-code"
        )


class TestInvalidUtbmsCode:
    def test_code_outside_enabled_sets(self) -> None:
        [(_, flag)] = flags(run(invoice(fee(task_code="B110"))), "invalid-utbms-code")
        assert "bankruptcy set" in flag.message

    def test_litigation_codes_pass(self) -> None:
        assert not flags(run(invoice(fee(), expense())), "invalid-utbms-code")

    def test_matter_code_sets_take_precedence(self) -> None:
        matter = Matter("M-100", code_sets=("bankruptcy", "activity", "expense"))
        assert not flags(run(invoice(fee(task_code="B110")), matter=matter), "invalid-utbms-code")
        assert flags(run(invoice(fee(activity_code="L110")), matter=matter), "invalid-utbms-code")


class TestCurrencyMismatch:
    def test_stated_currency_differs_from_matter(self) -> None:
        result = run(invoice(fee(), currency="EUR"), matter=Matter("M-100", currency="USD"))
        [(_, flag)] = flags(result, "currency-mismatch")
        assert "EUR differs from the matter's currency USD" in flag.message

    def test_same_currency_as_the_rate_card(self) -> None:
        book = rates('36-1234567,TK1,"Arnsley, Robert",PARTNR,300,EUR,2025-01-01,,')
        assert not flags(run(invoice(fee(), currency="EUR"), book=book), "currency-mismatch")

    def test_1998b_invoice_states_no_currency(self) -> None:
        assert "currency-mismatch" in skipped(run(invoice(fee())))
