"""The replay: hand-computed savings of a draft against the version actually used, and proof
that nothing of the invoices changes."""

from __future__ import annotations

import datetime

import pytest

from legalops.audit.models import AuditEvent
from legalops.backtests import selectors, services
from legalops.backtests.models import Backtest
from legalops.invoices.models import Adjustment, Flag, Invoice, InvoiceLine, StateChange

NOVEMBER = (datetime.date(2026, 11, 1), datetime.date(2026, 11, 30))


def run(admin, version, **kw):
    backtest = services.backtest_create(
        actor=admin, period_from=NOVEMBER[0], period_to=NOVEMBER[1], version=version, **kw
    )
    backtest.refresh_from_db()
    return backtest


def snapshot():
    """Every invoice table's rows and money, to compare before and after a run."""
    return {
        "invoices": list(
            Invoice.objects.order_by("pk").values_list(
                "pk", "state", "billed_minor", "approved_minor", "flag_count", "guidelines_id"
            )
        ),
        "lines": list(InvoiceLine.objects.order_by("pk").values_list("pk", "approved_minor")),
        "flags": list(Flag.objects.order_by("pk").values_list("pk", "rule", "amount_minor")),
        "adjustments": list(Adjustment.objects.order_by("pk").values_list("pk", "amount_minor")),
        "transitions": StateChange.objects.count(),
        "invoice_events": AuditEvent.objects.filter(target_type="invoices.invoice").count(),
    }


def test_the_actual_review_is_what_the_fixture_says(history):
    assert history["INV-5"].approved_minor == 127000
    assert history["INV-6"].approved_minor == 100000
    assert history["B-1"].approved_minor == 8000


def test_draft_replayed_over_november(history, versions, admin):
    before = snapshot()
    backtest = run(admin, versions["draft"])
    assert snapshot() == before
    assert backtest.status == Backtest.Status.DONE, backtest.error
    assert (backtest.invoices_total, backtest.invoices_done) == (3, 3)
    assert backtest.lines_total == 3 + 1 + 1
    [total] = selectors.totals(backtest)
    assert total["currency"] == "USD"
    assert total["invoices"] == 3
    assert total["billed_minor"] == 227000 + 110000 + 8000
    assert total["approved_minor"] == 187000 + 110000 + 8000
    assert total["saved_minor"] == 40000
    assert total["actual_approved_minor"] == 127000 + 100000 + 8000
    assert total["actual_saved_minor"] == 110000
    assert total["difference_minor"] == 40000 - 110000


def test_per_rule_difference_against_the_version_used(history, versions, admin):
    backtest = run(admin, versions["draft"])
    rules = {row["rule"]: row for row in selectors.by_rule(backtest)}
    block = rules["block-billing"]
    assert (block["flags"], block["lines"], block["invoices"]) == (1, 1, 1)
    assert block["would_save_minor"] == 40000
    assert block["used_would_save_minor"] == 100000
    assert block["kept_minor"] == 100000
    assert block["difference_minor"] == -60000
    rate = rules["rate-above-approved"]
    assert (rate["flags"], rate["actual_flags"]) == (1, 1)
    assert rate["would_save_minor"] == 0  # a warning changes no money
    assert rate["used_would_save_minor"] == 10000
    assert rate["difference_minor"] == -10000
    vague = rules["vague-description"]
    assert (vague["flags"], vague["actual_flags"], vague["would_save_minor"]) == (1, 1, 0)


def test_per_firm_and_matter(history, versions, admin, firm_a, firm_b):
    backtest = run(admin, versions["draft"])
    firms = {row["firm_id"]: row for row in selectors.by_group(backtest, "firm")}
    assert firms[firm_a.pk]["invoices"] == 2
    assert firms[firm_a.pk]["saved_minor"] == 40000
    assert firms[firm_a.pk]["actual_saved_minor"] == 110000
    assert firms[firm_b.pk]["saved_minor"] == firms[firm_b.pk]["actual_saved_minor"] == 0
    matters = {row["matter__number"]: row for row in selectors.by_group(backtest, "matter")}
    assert matters["LIT-001"]["billed_minor"] == 337000
    assert matters["LIT-002"]["billed_minor"] == 8000


def test_filters_by_firm_and_matter(history, versions, admin, firm_b, matter_a):
    by_firm = run(admin, versions["draft"], firm=firm_b)
    assert [i.invoice.invoice_number for i in by_firm.items.all()] == ["B-1"]
    by_matter = run(admin, versions["draft"], matter=matter_a)
    numbers = sorted(i.invoice.invoice_number for i in by_matter.items.all())
    assert numbers == ["INV-5", "INV-6"]


def test_replaying_the_version_used_reproduces_what_it_proposed(history, versions, admin):
    backtest = run(admin, versions["published"])
    for row in selectors.by_rule(backtest):
        assert row["flags_difference"] == 0, row
        assert row["difference_minor"] == 0, row


def test_reviewer_overrides_show_as_kept_savings(history, versions, admin, attorney):
    from legalops.invoices import services as invoice_services

    block = Flag.objects.get(invoice=history["INV-5"], rule="block-billing")
    invoice_services.flag_decide(
        actor=attorney, flag=block, accept=False, reason_code="agreed", comment="itemised"
    )
    backtest = run(admin, versions["draft"])
    rules = {row["rule"]: row for row in selectors.by_rule(backtest)}
    assert rules["block-billing"]["used_would_save_minor"] == 100000
    assert rules["block-billing"]["kept_minor"] == 0
    [total] = selectors.totals(backtest)
    assert total["actual_saved_minor"] == 10000  # only the rate cut stood


def test_drill_down_to_the_invoices_of_a_rule(history, versions, admin):
    backtest = run(admin, versions["draft"])
    items = selectors.backtest_items(backtest, rule="block-billing")
    [item] = list(items)
    assert item.invoice.invoice_number == "INV-5"
    assert item.rule_proposed_minor == -40000
    assert item.rule_actual_proposed_minor == -100000


@pytest.mark.parametrize("bad", ["reversed", "none", "both"])
def test_bad_input(versions, admin, bad):
    from django.core.exceptions import ValidationError

    kw = {"version": versions["draft"]}
    start, end = NOVEMBER
    if bad == "reversed":
        start, end = end, start
    elif bad == "none":
        kw = {}
    else:
        kw["source"] = b"x"
    with pytest.raises(ValidationError):
        services.backtest_create(actor=admin, period_from=start, period_to=end, **kw)
    assert Backtest.objects.count() == 0
