"""The action ladder (reduction order, reject wins, never below zero) and invoice totals."""

from __future__ import annotations

from decimal import Decimal

from tests.guidelines.guidelines_builders import fee, flags, invoice, rates, run

from legalops.guidelines.ladder import Acted, settle
from legalops.guidelines.rules.base import PERCENT, TARGET, Finding, Reduction


def acted(action: str, kind: str | None = None, value: str = "0", rule: str = "r") -> Acted:
    reduction = Reduction(kind, Decimal(value)) if kind else None
    return Acted(rule, action, Finding(0, "m", {}, reduction))


def test_reject_line_wins_and_others_carry_zero() -> None:
    approved, amounts = settle(
        Decimal("600.00"),
        [acted("reduce", PERCENT, "50"), acted("reject-line"), acted("reject-line")],
        "USD",
    )
    assert approved == 0 and amounts == [0, Decimal("-600.00"), 0]


def test_targets_apply_before_percentages_whatever_the_order() -> None:
    # 2 h at 350 = 700; approved rate 300 -> 600; then 50 % of what remains -> 300.
    approved, amounts = settle(
        Decimal("700.00"), [acted("reduce", PERCENT, "50"), acted("reduce", TARGET, "600")], "USD"
    )
    assert approved == Decimal("300.00") and amounts == [Decimal("-300.00"), Decimal("-100.00")]


def test_two_percentages_compound_on_what_remains() -> None:
    approved, _ = settle(
        Decimal("100.00"), [acted("reduce", PERCENT, "50"), acted("reduce", PERCENT, "50")], "USD"
    )
    assert approved == Decimal("25.00")


def test_never_below_zero_nor_above_billed() -> None:
    assert settle(Decimal("100.00"), [acted("reduce", TARGET, "-50")], "USD")[0] == 0
    assert settle(Decimal("100.00"), [acted("reduce", TARGET, "500")], "USD")[0] == Decimal(
        "100.00"
    )


def test_warn_and_hold_change_nothing_and_credits_are_untouched() -> None:
    assert settle(Decimal("100.00"), [acted("warn"), acted("hold")], "USD") == (
        Decimal("100.00"),
        [0, 0],
    )
    assert settle(Decimal("-50.00"), [acted("reject-line")], "USD") == (Decimal("-50.00"), [0])


def test_rounding_per_step_half_up_to_the_minor_unit() -> None:
    approved, amounts = settle(Decimal("100.01"), [acted("reduce", PERCENT, "50")], "USD")
    assert approved == Decimal("50.00") and amounts == [Decimal("-50.01")]
    assert settle(Decimal("1001"), [acted("reduce", PERCENT, "50")], "JPY")[0] == Decimal("500")


def test_rate_and_block_billing_on_one_line_do_not_double_count() -> None:
    narrative = "Attend status conference; prepare motion to dismiss; confer with client regarding production"  # noqa: E501
    book = rates('36-1234567,TK1,"Arnsley, Robert",PARTNR,300,USD,2026-01-01,,')
    result = run(
        invoice(fee(narrative=narrative, unit_cost="350")),
        "[rules.block-billing]\nreduce_percent = 50\n",
        book=book,
    )
    line = result.lines[0]
    assert line.billed == Decimal("700.00") and line.approved == Decimal("300.00")
    assert sum(f.amount for f in line.flags) == line.approved - line.billed
    assert [f.rule for f in line.flags] == [
        "rate-above-approved",
        "block-billing",
        "multiple-attendance",
    ][: len(line.flags)]


def test_flags_come_in_catalogue_order_and_totals_add_up() -> None:
    result = run(
        invoice(
            fee("1", narrative="Review file", units="1.25"),
            fee(
                "2",
                narrative="Bates label production volume 3",
                classification="PARALG",
                unit_cost="120",
            ),
        )
    )
    rules = [f.rule for f in result.lines[0].flags]
    assert rules == ["time-increment", "vague-description"]
    assert result.billed == sum(line.billed for line in result.lines)
    assert result.approved == sum(line.approved for line in result.lines)


def test_reject_invoice_from_a_line_rule_returns_the_invoice() -> None:
    result = run(
        invoice(fee(narrative="Review file")),
        '[rules.vague-description]\naction = "reject-invoice"\n',
    )
    assert result.returned and result.approved == 0
    assert flags(result, "vague-description")[0][1].amount == 0


def test_disabled_rule_does_not_run() -> None:
    result = run(
        invoice(fee(narrative="Review file")), "[rules.vague-description]\nenabled = false\n"
    )
    assert not flags(result, "vague-description")
