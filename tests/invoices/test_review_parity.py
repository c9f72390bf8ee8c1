"""The platform's review equals `legalops review` for every rule whose data the offline review
also has (spec/cli.md, `legalops invoices show`)."""

import io
import json
from contextlib import redirect_stdout

from tests.invoices.builders import Bill, Expense, Fee, ledes
from tests.invoices.conftest import RECEIVED_ON

from legalops.guidelines.cli import main as review_main
from legalops.invoices.selectors import invoice_json
from legalops.vendors.selectors import rates_csv

LINES = [
    Fee("6.5", "500.00", "Review documents; draft motion; call with client; revise brief"),
    Fee("1.0", "650.00", "Prepare for and attend deposition of plaintiff's expert"),
    Fee("0.7", "300.00", "Attention to file", timekeeper=("TK2", "Lee, Ann", "ASSOC")),
    Fee(
        "2.0",
        "300.00",
        "Copy and Bates label production documents; update binder",
        timekeeper=("TK2", "Lee, Ann", "ASSOC"),
    ),
    Fee("1.0", "400.00", "Draft interrogatories", timekeeper=("TK9", "Stranger, Sam", "ASSOC")),
    Expense("0.25", "E101", "Photocopies, 1 page"),
    Expense("850.00", "E110", "Airfare, business class to deposition"),
]


def offline_review(tmp_path, data, firm):
    invoice_file = tmp_path / "invoice.txt"
    invoice_file.write_bytes(data)
    rates = tmp_path / "rates.csv"
    rates.write_text(rates_csv(firm=firm))
    out = io.StringIO()
    with redirect_stdout(out):
        code = review_main(
            ["--json", "--as-of", RECEIVED_ON.isoformat(), "--rates", str(rates), str(invoice_file)]
        )
    assert code == 0
    return json.loads(out.getvalue())["invoices"][0]


def restricted(flags, rules):
    return [flag for flag in flags if flag["rule"] in rules]


def test_platform_flags_equal_offline_flags(intake, matter_a, rate_card, tmp_path):
    data = ledes(Bill("INV-77", "LIT-001", lines=LINES))
    invoice = intake(data, filename="invoice.txt").received[0]
    platform = invoice_json(invoice)
    offline = offline_review(tmp_path, data, matter_a.assignments.get().firm)
    offline_rules = {f["rule"] for line in offline["lines"] for f in line["flags"]}
    assert {
        "block-billing",
        "rate-above-approved",
        "vague-description",
        "clerical-work",
        "unapproved-timekeeper",
        "luxury-travel",
    } <= offline_rules  # a meaningful test
    skipped_offline = {s["rule"] for s in offline["skipped_rules"]}
    from legalops.guidelines.rules import CATALOGUE

    comparable = {rule.id for rule in CATALOGUE} - skipped_offline
    assert restricted(platform["flags"], comparable) == offline["flags"]
    assert len(platform["lines"]) == len(offline["lines"])
    for mine, theirs in zip(platform["lines"], offline["lines"], strict=True):
        assert (mine["line_item_number"], mine["line"], mine["billed_total"]) == (
            theirs["line_item_number"],
            theirs["line"],
            theirs["billed_total"],
        )
        assert restricted(mine["flags"], comparable) == theirs["flags"]
    assert (platform["billed_total"], platform["currency"]) == (offline["billed_total"], "USD")
    assert platform["approved_total"] == offline["approved_total"]  # no platform-only findings
    assert platform["state"] == "in_review"
