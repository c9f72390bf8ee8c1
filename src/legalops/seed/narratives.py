"""The phrase bank of seeded invoice lines: narratives as firms write them, clean ones and the
usual guideline violations (reference/billing-guidelines.md §2), with their UTBMS codes.

Each violation is tagged with the rule it is written to fire; the seed does not rely on the tag
(the real engine reviews every line), it only uses it to mix a realistic share of them.
"""

from __future__ import annotations

from typing import NamedTuple

# UTBMS task codes per matter code set (an empty code set reviews as litigation).
TASKS: dict[str, tuple[str, ...]] = {
    "litigation": ("L110", "L120", "L160", "L210", "L240", "L250", "L310", "L320", "L330", "L430"),
    "counseling": ("C100", "C200", "C300", "C400"),
    "project": ("P100", "P210", "P240", "P300", "P400", "P500", "P600"),
}
TRAVEL_TASK = {"litigation": "L330", "counseling": "C400", "project": "P500"}

DOCUMENTS = (
    "motion to dismiss",
    "interrogatory responses",
    "share purchase agreement",
    "disclosure schedules",
    "expert report",
    "privilege log",
    "board resolutions",
    "regulatory filing",
    "deposition outline",
    "settlement term sheet",
    "licence agreement",
    "data processing addendum",
)
TOPICS = (
    "the indemnification cap",
    "personal jurisdiction",
    "document retention obligations",
    "the damages model",
    "change of control provisions",
    "export control classification",
    "the limitation of liability clause",
    "the 2023 supply agreement",
    "customer privacy notices",
    "enforceability of the non-compete",
    "the escrow mechanics",
    "transfer pricing exposure",
)
PEOPLE = ("the plant manager", "Dr. Kessler", "the former CFO", "the regional sales director")
CITIES = ("Chicago", "London", "Houston", "Boston", "Frankfurt", "Denver")


class Phrase(NamedTuple):
    text: str  # str.format() with doc, doc2, topic, person, city
    activity: str
    rule: str = ""  # the rule the phrase is written to fire ("" = a clean line)


CLEAN = (
    Phrase("Draft {doc} addressing {topic}", "A103"),
    Phrase("Revise {doc} to reflect client comments on {topic}", "A103"),
    Phrase("Review and analyze {doc} for issues concerning {topic}", "A104"),
    Phrase("Analyze case law on {topic} for strategy memorandum to client", "A104"),
    Phrase("Telephone call with client's general counsel regarding {topic}", "A106"),
    Phrase("Correspond with opposing counsel regarding {topic} in {doc}", "A107"),
    Phrase("Prepare outline of open issues on {topic} for client meeting", "A101"),
    Phrase("Draft summary of {doc} for client's deal team", "A103"),
    Phrase("Review comments from counterparty on {doc} regarding {topic}", "A104"),
    Phrase("Prepare for deposition of {person} on {topic}", "A101"),
)
FEE_VIOLATIONS = (
    Phrase(
        "Draft {doc}; telephone call with client regarding {topic}; revise {doc2}",
        "A103",
        "block-billing",
    ),
    Phrase(
        "Review {doc}, email opposing counsel re {topic} and draft {doc2}",
        "A104",
        "block-billing",
    ),
    Phrase("Attention to matter", "A111", "vague-description"),
    Phrase("Work on file", "A111", "vague-description"),
    Phrase("Follow up", "A111", "vague-description"),
    Phrase("Bates label and organize production documents", "A110", "clerical-work"),
    Phrase("Scan and file correspondence in document management system", "A110", "clerical-work"),
    Phrase("Conference with associate regarding {topic}", "A105", "internal-conference"),
    Phrase(
        "Internal meeting with team regarding strategy on {topic}", "A105", "internal-conference"
    ),
    Phrase("Review file to get up to speed on {topic}", "A104", "learning-curve"),
    Phrase("Prepare monthly invoice and review billing entries", "A111", "billing-administration"),
    Phrase("Legal research on {topic}", "A102", "legal-research"),
    Phrase("Travel to {city} for deposition of {person}", "A109", "non-working-travel"),
)


class Expense(NamedTuple):
    code: str
    text: str
    unit_cost: str  # a decimal string; "" = an amount drawn between low and high
    low: int = 1
    high: int = 1
    rule: str = ""


EXPENSES = (
    Expense("E101", "Photocopies ({units} pages)", "0.10", 50, 900),
    Expense("E106", "Online legal research charges (Westlaw)", "", 40, 450),
    Expense("E107", "Courier delivery of {doc} to court", "", 25, 90),
    Expense("E110", "Economy airfare to {city} for deposition of {person}", "", 350, 900),
    Expense("E110", "Hotel in {city} (one night) for hearing", "", 180, 380),
    Expense("E112", "Court filing fee for {doc}", "", 50, 450),
    Expense("E115", "Deposition transcript of {person}", "", 400, 1600),
)
EXPENSE_VIOLATIONS = (
    Expense("E101", "Photocopies ({units} pages)", "0.25", 100, 1200, "expense-cap"),
    Expense("E108", "Postage", "", 5, 40, "disallowed-expense"),
    Expense("E110", "First class airfare to {city} for hearing", "", 1800, 5200, "luxury-travel"),
    Expense(
        "E111", "Dinner with wine for deposition team in {city}", "", 180, 650, "luxury-travel"
    ),
)
OVERRIDE_COMMENTS = (
    ("agreed", "Agreed with the relationship partner: the entry stands."),
    ("other", "The narrative is specific enough in the context of this matter."),
    ("guidelines", "Covered by the engagement letter's exception for this matter."),
)
HOLD_REASONS = (
    "Waiting for the firm's timesheet detail.",
    "Asked the firm to explain the daily hours.",
    "Budget owner to confirm before approval.",
)
REJECT_REASONS = (
    ("billing-error", "Lines billed to the wrong matter; please re-issue."),
    ("outside-scope", "Work outside the engagement's scope."),
    ("guidelines", "Invoice does not follow the billing guidelines; please correct and resubmit."),
)
