"""The rulebook firms read: every enabled rule of one published version in plain words, with its
parameters, what happens when it fires, and the overrides that concern that firm.

A firm sees an override only when it can concern its own invoices: one naming its LAW_FIRM_ID,
one of its matters, or only matter types. Other firms' identifiers are never shown (an override
naming several firms is described as "for your firm").
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from legalops.guidelines.config import Guidelines, Override
from legalops.guidelines.rules import BY_ID, CATALOGUE
from legalops.invoices.guidelines_toml import field_text

TITLES: dict[str, tuple[str, str]] = {
    "line-outside-billing-period": (
        "Lines inside the billing period",
        "Every line must be dated within the invoice's billing period.",
    ),
    "billing-period-spans-months": (
        "One calendar month per invoice",
        "The billing period must start and end in the same calendar month.",
    ),
    "late-invoice": (
        "Invoices on time",
        "Invoices must arrive within {max_days} days after the end of the billing period.",
    ),
    "stale-line": (
        "No stale time",
        "Lines may not be dated more than {max_days} days before the invoice date.",
    ),
    "future-dated-line": ("No future-dated lines", "No line may be dated after the invoice date."),
    "duplicate-invoice": (
        "No duplicate invoices",
        "An invoice number may be used only once per firm.",
    ),
    "duplicate-line": (
        "No duplicate lines",
        "The same timekeeper, date, hours and amount with a near-identical description "
        "(at least {min_similarity} of the words in common) is billed once only, on this or "
        "an earlier invoice.",
    ),
    "matter-closed": (
        "No work after the matter closed",
        "Work dated more than {grace_days} days after the matter's close date is not paid.",
    ),
    "missing-utbms-code": (
        "UTBMS codes on every line",
        "Lines need their UTBMS codes: {require}.",
    ),
    "invalid-utbms-code": (
        "Valid UTBMS codes",
        "Codes must belong to the code sets of the matter (by default: {code_sets}).",
    ),
    "currency-mismatch": (
        "The matter's currency",
        "Invoices must be in the currency of the matter or engagement.",
    ),
    "unapproved-timekeeper": (
        "Approved timekeepers only",
        "Fees are paid only for timekeepers on the approved rate card.",
    ),
    "rate-above-approved": (
        "Approved rates",
        "Time is paid at no more than the rate approved for the timekeeper on the line's date.",
    ),
    "disallowed-classification": (
        "Classifications not paid",
        "Time by these classifications is not paid: {classifications}.",
    ),
    "time-increment": (
        "Time increments",
        "Time is billed in increments of {increment} hour.",
    ),
    "daily-hours-cap": (
        "Daily hours",
        "One timekeeper may bill at most {max_hours} hours a day (across invoices).",
    ),
    "long-entry": ("Long entries", "A single time entry may not exceed {max_hours} hours."),
    "block-billing": (
        "No block billing",
        "Each task gets its own time entry: {min_tasks} or more tasks under one time value is "
        "block billing.",
    ),
    "vague-description": (
        "Clear descriptions",
        "Each entry says what was done, to what, and why.",
    ),
    "clerical-work": (
        "No clerical work",
        "Administrative and clerical tasks (filing, copying, scanning, scheduling, indexing, "
        "Bates labelling, e-filing…) are overhead, whoever does them.",
    ),
    "internal-conference": (
        "No internal conferences",
        "Conferences, meetings, calls or emails among the firm's own people are not paid.",
    ),
    "learning-curve": (
        "No learning curve",
        "Getting up to speed, familiarisation, training and read-in time are not paid.",
    ),
    "billing-administration": (
        "No billing administration",
        "Preparing or reviewing invoices, budgets or accruals and answering billing questions "
        "are not paid.",
    ),
    "legal-research": (
        "Legal research needs approval",
        "Research beyond {max_hours_per_invoice} hours per invoice needs an approval named in "
        "the entry (such as 'approved by').",
    ),
    "non-working-travel": (
        "Non-working travel",
        "Travel time is paid at {billable_percent}% of the rate.",
    ),
    "work-below-level": (
        "Work at the right level",
        "Partners and associates doing paralegal or clerical work are paid at the lower "
        "level's rate.",
    ),
    "multiple-attendance": (
        "One attendee",
        "At most {max_attendees} timekeeper(s) may bill the same deposition, hearing, meeting "
        "or call on the same day.",
    ),
    "disallowed-expense": (
        "Expenses not reimbursed",
        "These expense codes are overhead and not reimbursed: {codes}.",
    ),
    "expense-cap": (
        "Expense caps",
        "Expenses are reimbursed up to these caps: per unit {unit_caps}; per line {line_caps}.",
    ),
    "luxury-travel": (
        "No luxury travel",
        "No first- or business-class fares, alcohol, minibar or entertainment.",
    ),
    "over-budget": (
        "Within budget",
        "Invoices that take the matter over its budget by more than {tolerance_percent}% are held.",
    ),
}

_REDUCE = {
    "rate-above-approved": "the line is reduced to the approved rate",
    "expense-cap": "the line is reduced to the cap",
    "non-working-travel": "the line is reduced to that share of the rate",
    "time-increment": "the hours are rounded down to the increment",
    "daily-hours-cap": "the hours above the cap are taken off the day's last lines",
    "work-below-level": "the line is paid at the lower classification's rate",
}


def action_words(rule_id: str, action: str, params: Mapping[str, Any]) -> str:
    if action == "reduce":
        if rule_id in _REDUCE:
            return _REDUCE[rule_id]
        percent = field_text(BY_ID[rule_id].params["reduce_percent"], params["reduce_percent"])
        return f"the line is reduced by {percent}%"
    return {
        "warn": "a warning is shown to the reviewer (no effect on the amount)",
        "hold": "the invoice is held until a reviewer clears the flag",
        "reject-line": "the line is not paid",
        "reject-invoice": "the whole invoice is returned to the firm",
    }[action]


def _words(rule_id: str, params: Mapping[str, Any]) -> str:
    rule = BY_ID[rule_id]
    shown = {key: field_text(param, params[key]) or "none" for key, param in rule.params.items()}
    return TITLES[rule_id][1].format(**shown)


@dataclass(frozen=True)
class OverrideNote:
    condition: str  # "for your firm", "for litigation matters"...
    text: str  # the rule as it reads under that override


@dataclass(frozen=True)
class RuleEntry:
    rule_id: str
    title: str
    text: str
    consequence: str
    parameters: tuple[tuple[str, str], ...]
    notes: tuple[OverrideNote, ...]


@dataclass(frozen=True)
class Audience:
    """Whose rulebook: a firm (its LAW_FIRM_ID and matter numbers) or, for staff, everyone."""

    law_firm_id: str | None
    matter_numbers: Collection[str] = ()


def rulebook_entries(guidelines: Guidelines, audience: Audience) -> list[RuleEntry]:
    overrides = [o for o in guidelines.overrides if _concerns(o, audience)]
    entries = []
    for rule in CATALOGUE:
        values = guidelines.rules[rule.id]
        notes = tuple(_notes(rule.id, values, overrides, audience))
        if not values.get("enabled", True) and not notes:
            continue
        entries.append(_entry(rule.id, values, notes))
    return entries


def _entry(rule_id: str, values: dict[str, Any], notes: tuple[OverrideNote, ...]) -> RuleEntry:
    enabled = values.get("enabled", True)
    params = BY_ID[rule_id].params
    return RuleEntry(
        rule_id=rule_id,
        title=TITLES[rule_id][0],
        text=_words(rule_id, values) if enabled else "Not applied, except as below.",
        consequence=action_words(rule_id, values["action"], values) if enabled else "",
        parameters=tuple((k, field_text(p, values[k]) or "none") for k, p in params.items()),
        notes=notes,
    )


def _notes(
    rule_id: str, base: dict[str, Any], overrides: list[Override], audience: Audience
) -> list[OverrideNote]:
    notes = []
    for override in overrides:
        if rule_id not in override.rules:
            continue
        values = {**base, **override.rules[rule_id]}
        if values.get("enabled", True):
            consequence = action_words(rule_id, values["action"], values)
            text = f"{_words(rule_id, values)} If not, {consequence}."
        else:
            text = "This rule does not apply."
        notes.append(OverrideNote(_condition(override, audience), text))
    return notes


def _concerns(override: Override, audience: Audience) -> bool:
    if audience.law_firm_id is None:
        return True
    firms = override.match.get("law_firm_id")
    matters = override.match.get("client_matter_id")
    if firms is not None and audience.law_firm_id not in firms:
        return False
    return matters is None or any(m in audience.matter_numbers for m in matters)


def _condition(override: Override, audience: Audience) -> str:
    parts = []
    for key, values in override.match.items():
        if key == "law_firm_id":
            parts.append("your firm" if audience.law_firm_id else f"firm {', '.join(values)}")
        elif key == "client_matter_id":
            shown = [
                v for v in values if audience.law_firm_id is None or v in audience.matter_numbers
            ]
            parts.append(f"matter {', '.join(shown)}")
        else:
            parts.append(f"{', '.join(values)} matters")
    return "For " + " and ".join(parts)
