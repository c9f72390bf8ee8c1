"""Review one invoice: run the catalogue, apply the action ladder, total the money.

Deterministic: rules run in catalogue order, lines in file order, and nothing depends on the
clock (the receipt date is `ReviewContext.as_of`), so the same inputs give the same result.
"""

from __future__ import annotations

from decimal import Decimal

from legalops.guidelines.config import Guidelines, default_guidelines
from legalops.guidelines.ladder import Acted, settle
from legalops.guidelines.money import ZERO, money_rounder
from legalops.guidelines.narrative import NarrativeClassifier, RuleBasedClassifier
from legalops.guidelines.params import RuleSettings
from legalops.guidelines.rates import RateBook
from legalops.guidelines.records import Invoice, ReviewContext
from legalops.guidelines.results import Flag, InvoiceResult, LineResult, Skipped
from legalops.guidelines.rules import CATALOGUE, Rule, Run

_CLASSIFIER = RuleBasedClassifier()


def review(
    invoice: Invoice,
    context: ReviewContext,
    guidelines: Guidelines | None = None,
    *,
    rates: RateBook | None = None,
    classifier: NarrativeClassifier | None = None,
) -> InvoiceResult:
    """Review `invoice`. `rates` is the approved rate card (built from `context.rates` when
    omitted); without either, the rate rules are skipped and listed in `skipped`."""
    guidelines = guidelines or default_guidelines()
    book = (
        rates
        if rates is not None
        else (RateBook(context.rates) if context.rates is not None else None)
    )
    run = Run(
        invoice,
        context,
        resolve_currency(invoice, context, guidelines, book),
        book,
        classifier or _CLASSIFIER,
    )
    matter_type = context.matter.matter_type if context.matter else ""
    settings = guidelines.settings_for(invoice.law_firm_id, invoice.client_matter_id, matter_type)
    skipped: list[Skipped] = []
    found = _run_rules(run, [r for r in CATALOGUE if not r.after_money], settings, skipped)
    lines, invoice_flags = _settle(run, found)
    run.approved_lines = tuple(line.approved for line in lines)
    late = _run_rules(run, [r for r in CATALOGUE if r.after_money], settings, skipped)
    invoice_flags += [_flag(acted) for acted in late.get(None, ())]
    return _result(run, lines, invoice_flags, skipped)


def resolve_currency(
    invoice: Invoice, context: ReviewContext, guidelines: Guidelines, rates: RateBook | None
) -> str:
    """The invoice's own currency, else the matter's, else the firm's (rate card), else the
    company's (spec/cli.md: LEDES 1998B carries no currency)."""
    if invoice.currency:
        return invoice.currency
    if context.matter and context.matter.currency:
        return context.matter.currency
    firm = rates.firm_currency(invoice.law_firm_id) if rates is not None else None
    return firm or context.default_currency or guidelines.currency


def _run_rules(
    run: Run, rules: list[Rule], settings: dict[str, RuleSettings], skipped: list[Skipped]
) -> dict[int | None, list[Acted]]:
    found: dict[int | None, list[Acted]] = {}
    on_line = found.get
    for rule in rules:
        rule_settings = settings[rule.id]
        if not rule_settings.enabled:
            continue
        reason = rule.skip_reason(run)
        if reason is not None:
            skipped.append(Skipped(rule.id, reason))
            continue
        rule_id, action = rule.id, rule_settings.action
        for finding in rule.check(run, rule_settings):
            acted = Acted(rule_id, action, finding)
            listed = on_line(finding.line)
            if listed is None:
                found[finding.line] = [acted]
            else:
                listed.append(acted)
    return found


def _settle(run: Run, found: dict[int | None, list[Acted]]) -> tuple[list[LineResult], list[Flag]]:
    lines: list[LineResult] = []
    append, acted_on, currency = lines.append, found.get, run.currency
    rounded = money_rounder(currency)
    for index, line in enumerate(run.invoice.lines):
        billed = rounded(line.total)
        acted = acted_on(index)
        if not acted:  # most lines: nothing to settle
            append(LineResult(line, billed, billed, ()))
            continue
        approved, amounts = settle(billed, acted, currency)
        flags = tuple(
            [
                Flag(a.rule, a.action, amount, a.finding.message, a.finding.evidence)
                for a, amount in zip(acted, amounts, strict=True)
            ]
        )
        append(LineResult(line, billed, approved, flags))
    return lines, [_flag(acted) for acted in found.get(None, [])]


def _flag(acted: Acted, amount: Decimal = ZERO) -> Flag:
    return Flag(acted.rule, acted.action, amount, acted.finding.message, acted.finding.evidence)


def _result(
    run: Run, lines: list[LineResult], flags: list[Flag], skipped: list[Skipped]
) -> InvoiceResult:
    billed = sum((line.billed for line in lines), ZERO)
    approved = sum((line.approved for line in lines), ZERO)
    result = InvoiceResult(
        run.invoice, run.currency, billed, approved, tuple(flags), tuple(skipped), tuple(lines)
    )
    if result.returned:
        # A returned invoice approves nothing; each line still shows what its review found.
        result = InvoiceResult(
            run.invoice, run.currency, billed, ZERO, tuple(flags), tuple(skipped), tuple(lines)
        )
    return result
