"""The pre-flight check of the vendor portal (and `POST /api/v1/invoices/preflight`): what
intake would do with a file, run without writing anything.

The file goes through intake's own checks (`intake.intake_check`: LEDES validity, firm, matter,
assignment, duplicates); each invoice intake would receive is then reviewed exactly as intake
will review it: the unsaved invoice and lines are built by intake's builders and turned into
the engine's records by `invoices.review`'s builders, with the platform's review context (the
rate card, the matter, its budgets, the firm's earlier invoices) and the guidelines version in
force. So what the firm sees here is what the reviewer will see after it submits.
"""

from __future__ import annotations

import datetime
import hashlib
import time
from dataclasses import dataclass, field, replace
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from legalops.accounts.models import User
from legalops.core.money import to_minor
from legalops.guidelines.engine import review
from legalops.guidelines.results import Flag as EngineFlag
from legalops.guidelines.results import InvoiceResult
from legalops.invoices.intake import (
    RECEIVED,
    REJECTED,
    Outcome,
    Plan,
    intake_check,
    invoice_currency,
    invoice_from_plan,
    line_from_ledes,
)
from legalops.invoices.models import GuidelinesVersion
from legalops.invoices.review import invoice_record, review_context
from legalops.invoices.rulebook import guidelines_in_force, guidelines_of


@dataclass(frozen=True)
class FlagView:
    """One flag as the firm (or reviewer) reads it."""

    rule: str
    action: str
    amount_minor: int
    message: str
    evidence: dict[str, Any]
    line_item_number: str = ""
    line: int = 0  # position in the LEDES text
    narrative: str = ""
    billed_minor: int = 0


@dataclass
class PreflightInvoice:
    outcome: Outcome
    currency: str = ""
    guidelines: GuidelinesVersion | None = None
    billed_minor: int = 0
    approved_minor: int = 0
    flags: list[FlagView] = field(default_factory=list)
    skipped: list[dict[str, str]] = field(default_factory=list)
    returned: bool = False

    @property
    def at_stake_minor(self) -> int:
        """What the review would take off the invoice (positive)."""
        return self.billed_minor - self.approved_minor

    @property
    def holds(self) -> int:
        return sum(1 for f in self.flags if f.action == "hold")

    def by_rule(self) -> list[dict[str, Any]]:
        """Rule id -> count and money, in first-seen order (the chips of the page)."""
        rules: dict[str, dict[str, Any]] = {}
        for flag in self.flags:
            entry = rules.setdefault(
                flag.rule, {"rule": flag.rule, "action": flag.action, "count": 0, "amount": 0}
            )
            entry["count"] += 1
            entry["amount"] += flag.amount_minor
        return list(rules.values())


@dataclass
class Preflight:
    file: str
    format: str | None
    errors: list[dict[str, object]] = field(default_factory=list)
    warnings: list[dict[str, object]] = field(default_factory=list)
    invoices: list[PreflightInvoice] = field(default_factory=list)

    @property
    def would_accept(self) -> bool:
        """Submitting now would take the file (nothing refused)."""
        return not self.errors and all(i.outcome.status != REJECTED for i in self.invoices)

    @property
    def would_receive(self) -> int:
        return sum(1 for i in self.invoices if i.outcome.status == RECEIVED)


def invoice_preflight(
    *, actor: User | None, data: bytes, filename: str, today: datetime.date | None = None
) -> Preflight:
    """Checks and reviews the file as intake would on `today`; writes nothing (the shipped
    guidelines aside, which are stored on first need whatever asks for them)."""
    checked = intake_check(actor=actor, data=data, filename=filename)
    report = checked.report
    found = Preflight(report.file, report.format, report.errors, checked.warnings)
    day = today or timezone.localdate()
    for plan in checked.plans:
        found.invoices.append(
            _reviewed(plan, day)
            if plan.outcome.status == RECEIVED
            else PreflightInvoice(plan.outcome)
        )
    return found


def _reviewed(plan: Plan, day: datetime.date) -> PreflightInvoice:
    code = invoice_currency(plan.source, plan.matter, plan.firm)
    invoice = invoice_from_plan(plan, day, code)
    # Never saved. The history query excludes the invoice itself and counts what was received
    # before it: with pk 0 and "now", that is every invoice already in the database.
    invoice.pk, invoice.received_at = 0, timezone.now()
    lines = [
        line_from_ledes(invoice, n, item, code, {}) for n, item in enumerate(plan.source.line_items)
    ]
    version = guidelines_in_force(invoice.billing_end or invoice.invoice_date)
    context = review_context(invoice, as_of=day)
    if plan.outcome.resubmission_of is not None:
        # Intake marks the rejected original resubmitted before reviewing its replacement,
        # which then no longer counts as history (no duplicate-invoice flag against it).
        number = invoice.invoice_number
        context = replace(
            context, history=tuple(h for h in context.history or () if h.invoice_number != number)
        )
    result = review(invoice_record(invoice, lines), context, guidelines_of(version))
    return PreflightInvoice(
        outcome=plan.outcome,
        currency=code,
        guidelines=version,
        billed_minor=to_minor(result.billed, code),
        approved_minor=to_minor(result.approved, code),
        flags=_flags(result, code),
        skipped=[{"rule": s.rule, "reason": s.reason} for s in result.skipped],
        returned=result.returned,
    )


def _flags(result: InvoiceResult, code: str) -> list[FlagView]:
    views = [_view(flag, code) for flag in result.flags]
    for outcome in result.lines:
        line = outcome.line
        for flag in outcome.flags:
            views.append(
                _view(
                    flag,
                    code,
                    line_item_number=line.number,
                    line=line.position,
                    narrative=line.narrative,
                    billed_minor=to_minor(outcome.billed, code),
                )
            )
    return views


def _view(flag: EngineFlag, code: str, **line: Any) -> FlagView:
    return FlagView(
        rule=flag.rule,
        action=flag.action,
        amount_minor=to_minor(flag.amount, code),
        message=flag.message,
        evidence=dict(flag.evidence),
        **line,
    )


# --- Holding the checked file until the firm submits it ---------------------------------------

STAGE_DIR = "preflight"
STAGE_SECONDS = 24 * 3600


def stage(user: User, data: bytes) -> str:
    """Keeps the bytes the firm checked so that "Submit" sends exactly them; returns their
    SHA-256, the token the submit form carries. Older staged files of the user are removed."""
    token = hashlib.sha256(data).hexdigest()
    _prune(user)
    path = _path(user, token)
    if not default_storage.exists(path):
        default_storage.save(path, ContentFile(data))
    return token


def staged(user: User, token: str) -> bytes | None:
    """The bytes staged by this user under `token`, or None (expired, another user's, or
    tampered with: the content must still hash to the token)."""
    if len(token) != 64 or not all(c in "0123456789abcdef" for c in token):
        return None
    path = _path(user, token)
    if not default_storage.exists(path) or _expired(path):
        return None
    with default_storage.open(path, "rb") as handle:
        data: bytes = handle.read()
    return data if hashlib.sha256(data).hexdigest() == token else None


def unstage(user: User, token: str) -> None:
    path = _path(user, token)
    if default_storage.exists(path):
        default_storage.delete(path)


def _path(user: User, token: str) -> str:
    return f"{STAGE_DIR}/{user.pk}/{token}"


def _expired(path: str) -> bool:
    return default_storage.get_modified_time(path).timestamp() < time.time() - STAGE_SECONDS


def _prune(user: User) -> None:
    folder = f"{STAGE_DIR}/{user.pk}"
    if not default_storage.exists(folder):
        return
    for name in default_storage.listdir(folder)[1]:
        path = f"{folder}/{name}"
        if _expired(path):
            default_storage.delete(path)
