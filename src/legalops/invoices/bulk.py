"""Bulk actions on a queue of invoices. Each invoice goes through the same service as on its
own page, in its own transaction: one refusal (a hold still open, a state that does not
allow the step, an invoice the user may not review) is reported for that invoice and does not
stop or undo the others."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from legalops.accounts.models import User
from legalops.invoices import services, workflow
from legalops.invoices.models import Flag, Invoice, State


@dataclass(frozen=True)
class BulkResult:
    invoice: Invoice
    ok: bool
    message: str


def _accept_flags(actor: User, invoice: Invoice, comment: str) -> str:
    """Accepts every proposed flag of a clean invoice: one whose review proposes neither a
    hold nor returning it (those need a decision on the invoice's own page)."""
    workflow.require_reviewer(actor, invoice)
    if invoice.open_holds:
        raise ValidationError(
            f"{invoice.open_holds} hold flag(s) need a decision on the invoice page"
        )
    if invoice.returned:
        raise ValidationError("the review proposes returning it: decide on the invoice page")
    flags = list(invoice.flags.filter(status=Flag.Status.PROPOSED).order_by("pk"))
    with transaction.atomic():
        for flag in flags:
            services.flag_decide(actor=actor, flag=flag, accept=True, comment=comment)
    return f"{len(flags)} flag(s) accepted" if flags else "no proposed flags"


def _start(actor: User, invoice: Invoice, comment: str) -> str:
    services.invoice_start_review(actor=actor, invoice=invoice)
    return "in review"


def _submit(actor: User, invoice: Invoice, comment: str) -> str:
    services.invoice_submit_for_approval(actor=actor, invoice=invoice, comment=comment)
    invoice.refresh_from_db(fields=["state"])
    return State(invoice.state).label.lower()


def _hold(actor: User, invoice: Invoice, comment: str) -> str:
    services.invoice_hold(actor=actor, invoice=invoice, comment=comment)
    return "on hold"


def _release(actor: User, invoice: Invoice, comment: str) -> str:
    services.invoice_release(actor=actor, invoice=invoice, comment=comment)
    return "back in review"


def _rereview(actor: User, invoice: Invoice, comment: str) -> str:
    services.invoice_rereview(actor=actor, invoice=invoice)
    invoice.refresh_from_db(fields=["flag_count"])
    return f"reviewed again: {invoice.flag_count} flag(s)"


Action = Callable[[User, Invoice, str], str]
# key -> (label, needs a comment, what it does)
ACTIONS: dict[str, tuple[str, bool, Action]] = {
    "start_review": ("Start review", False, _start),
    "accept_flags": ("Accept all proposed flags (clean invoices)", False, _accept_flags),
    "submit": ("Submit for approval", False, _submit),
    "hold": ("Put on hold", True, _hold),
    "release": ("Release from hold", False, _release),
    "rereview": ("Review again with the guidelines in force", False, _rereview),
}


def invoice_bulk(
    *, actor: User, action: str, invoices: Iterable[Invoice], comment: str = ""
) -> list[BulkResult]:
    """Runs `action` on each invoice; returns one result per invoice, in order."""
    if action not in ACTIONS:
        raise ValidationError({"action": f"unknown bulk action {action!r}"})
    _label, needs_comment, run = ACTIONS[action]
    if needs_comment and not comment.strip():
        raise ValidationError({"comment": "this action needs a comment"})
    results = []
    for invoice in invoices:
        try:
            results.append(BulkResult(invoice, True, run(actor, invoice, comment)))
        except (ValidationError, PermissionDenied) as exc:
            text = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            results.append(BulkResult(invoice, False, text or "not allowed"))
    return results
