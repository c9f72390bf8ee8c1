"""Rate negotiation: a firm proposes rates for a fiscal year, legal ops decides each line
(approve, reject or counter-offer), the firm accepts a counter-offer or replies with a new
proposal, and every approved line becomes a row of the rate card.

States of a line: pending (legal ops to act) -> approved | rejected | countered;
countered (the firm to act) -> approved (accepted) | pending (the firm replied).
A request is `submitted` until the first decision, `in_review` while lines are open and
`decided` when every line is approved or rejected.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from legalops.accounts.models import Role, User
from legalops.accounts.permissions import Capability, has_capability, require
from legalops.audit.events import Event
from legalops.audit.services import audit_record
from legalops.organization.selectors import company_get
from legalops.reports.rate_changes import refresh_line
from legalops.vendors import impact, selectors
from legalops.vendors.models import (
    LawFirm,
    LineStatus,
    Rate,
    RateRequest,
    RateRequestLine,
    RateRequestStatus,
    RateSource,
    Timekeeper,
)
from legalops.vendors.services import (
    _check_rate,
    _close_earlier_open_row,
    overlapping_rates,
    valid_classification,
)

OPEN_STATES = (RateRequestStatus.SUBMITTED, RateRequestStatus.IN_REVIEW)


def _require_firm_side(actor: User | None, firm: LawFirm) -> None:
    """The firm's own users, or legal ops entering a request on the firm's behalf."""
    if has_capability(actor, Capability.MANAGE_RATES):
        return
    assert actor is not None
    require(actor, Capability.FIRM_SUBMIT)
    if actor.role != Role.FIRM or actor.firm_id != firm.pk:
        raise PermissionDenied("you may only act on your own firm's rate requests")


@transaction.atomic
def rate_request_create(
    *,
    actor: User | None,
    firm: LawFirm,
    fiscal_year: int,
    effective_from: datetime.date | None = None,
    note: str = "",
) -> RateRequest:
    _require_firm_side(actor, firm)
    first_day, last_day = company_get().fiscal_year_bounds(fiscal_year)
    start = effective_from or first_day
    if not first_day <= start <= last_day:
        raise ValidationError({"effective_from": f"must fall in FY{fiscal_year}"})
    request = RateRequest.objects.create(
        firm=firm,
        fiscal_year=fiscal_year,
        effective_from=start,
        note=note.strip(),
        created_by=actor,
    )
    audit_record(
        actor=actor,
        event=Event.RATE_REQUEST_CREATED,
        target=request,
        payload={"new": {"fiscal_year": fiscal_year, "effective_from": str(start)}},
    )
    return request


def _require_draft(request: RateRequest) -> None:
    if request.status != RateRequestStatus.DRAFT:
        raise ValidationError("only a draft request can be changed; this one was submitted")


def _check_one_per_year(request: RateRequest, timekeeper: Timekeeper | None, code: str) -> None:
    """One proposal per timekeeper (or classification) per fiscal year, as Lawtrac has it."""
    others = RateRequestLine.objects.filter(
        request__firm=request.firm, request__fiscal_year=request.fiscal_year
    ).exclude(request__status=RateRequestStatus.WITHDRAWN)
    if timekeeper is not None:
        others = others.filter(timekeeper=timekeeper)
    else:
        others = others.filter(timekeeper__isnull=True, classification=code)
    if others.exists():
        who = timekeeper.name if timekeeper else code
        raise ValidationError(
            {"timekeeper": f"{who} already has a proposal for FY{request.fiscal_year}"}
        )


@transaction.atomic
def rate_request_line_add(
    *,
    actor: User | None,
    request: RateRequest,
    requested_rate: Decimal,
    timekeeper: Timekeeper | None = None,
    classification: str = "",
    firm_comment: str = "",
) -> RateRequestLine:
    _require_firm_side(actor, request.firm)
    _require_draft(request)
    if timekeeper is not None and timekeeper.firm_id != request.firm_id:
        raise ValidationError({"timekeeper": "the timekeeper belongs to another firm"})
    code = valid_classification(timekeeper.classification if timekeeper else classification)
    _check_rate(requested_rate, request.firm.currency)
    _check_one_per_year(request, timekeeper, code)
    line = RateRequestLine.objects.create(
        request=request,
        timekeeper=timekeeper,
        classification=code,
        requested_rate=requested_rate,
        firm_comment=firm_comment.strip(),
    )
    audit_record(
        actor=actor,
        event=Event.RATE_REQUEST_LINE_SAVED,
        target=request,
        payload={"new": {"line": line.pk, "rate": str(requested_rate), "who": str(line)}},
    )
    return line


@transaction.atomic
def rate_request_line_remove(*, actor: User | None, line: RateRequestLine) -> None:
    _require_firm_side(actor, line.request.firm)
    _require_draft(line.request)
    audit_record(
        actor=actor,
        event=Event.RATE_REQUEST_LINE_REMOVED,
        target=line.request,
        payload={"old": {"line": line.pk, "who": str(line)}},
    )
    line.delete()


@transaction.atomic
def rate_request_submit(*, actor: User | None, request: RateRequest) -> RateRequest:
    """Sends the draft to legal ops; the prior rate of each line is fixed now."""
    _require_firm_side(actor, request.firm)
    _require_draft(request)
    lines = list(request.lines.select_related("timekeeper"))
    if not lines:
        raise ValidationError("add at least one proposed rate before submitting")
    day_before = request.effective_from - datetime.timedelta(days=1)
    for line in lines:
        prior = selectors.current_rate(
            firm=request.firm,
            timekeeper=line.timekeeper,
            classification=line.classification,
            on=day_before,
        )
        line.prior_rate = prior.rate if prior else None
        line.prior_effective_from = prior.effective_from if prior else None
        line.save(update_fields=["prior_rate", "prior_effective_from"])
    request.status = RateRequestStatus.SUBMITTED
    request.submitted_at = timezone.now()
    request.save(update_fields=["status", "submitted_at"])
    audit_record(
        actor=actor,
        event=Event.RATE_REQUEST_SUBMITTED,
        target=request,
        payload={"new": {"lines": len(lines)}},
    )
    return request


@transaction.atomic
def rate_request_withdraw(*, actor: User | None, request: RateRequest, reason: str = "") -> None:
    _require_firm_side(actor, request.firm)
    if request.status not in (RateRequestStatus.DRAFT, *OPEN_STATES):
        raise ValidationError("a decided request cannot be withdrawn")
    if request.lines.filter(status=LineStatus.APPROVED).exists():
        raise ValidationError("some rates are already approved; the request cannot be withdrawn")
    request.status = RateRequestStatus.WITHDRAWN
    request.save(update_fields=["status"])
    audit_record(actor=actor, event=Event.RATE_REQUEST_WITHDRAWN, target=request, reason=reason)


def _locked_line(line: RateRequestLine) -> RateRequestLine:
    """Re-reads the line under a row lock: two reviewers cannot decide it twice. Only the
    line's row is locked (PostgreSQL cannot lock the nullable side of an outer join)."""
    return (
        RateRequestLine.objects.select_for_update(of=("self",))
        .select_related("request__firm", "timekeeper")
        .get(pk=line.pk)
    )


@transaction.atomic
def rate_request_line_decide(
    *,
    actor: User | None,
    line: RateRequestLine,
    decision: str,
    counter_rate: Decimal | None = None,
    comment: str = "",
) -> RateRequestLine:
    """Legal ops' answer to a pending line: "approve", "reject" or "counter"."""
    require(actor, Capability.MANAGE_RATES)
    line = _locked_line(line)
    if line.request.status not in OPEN_STATES or line.status != LineStatus.PENDING:
        raise ValidationError("this line is not awaiting a decision")
    if decision == "counter":
        if counter_rate is None:
            raise ValidationError({"counter_rate": "a counter-offer needs a rate"})
        _check_rate(counter_rate, line.request.firm.currency)
        line.counter_rate, line.status = counter_rate, LineStatus.COUNTERED
    elif decision == "approve":
        line.approved_rate, line.status = line.requested_rate, LineStatus.APPROVED
    elif decision == "reject":
        line.status = LineStatus.REJECTED
    else:
        raise ValidationError({"decision": "approve, reject or counter"})
    line.legal_comment, line.decided_by, line.decided_at = comment.strip(), actor, timezone.now()
    line.save()
    audit_record(
        actor=actor,
        event=Event.RATE_REQUEST_LINE_DECIDED,
        target=line.request,
        payload={"new": _line_json(line)},
        reason=line.legal_comment,
    )
    _after_line_change(actor, line)
    return line


@transaction.atomic
def rate_request_line_answer(
    *,
    actor: User | None,
    line: RateRequestLine,
    accept: bool,
    rate: Decimal | None = None,
    comment: str = "",
) -> RateRequestLine:
    """The firm's answer to a counter-offer: accept it, or reply with another rate."""
    _require_firm_side(actor, line.request.firm)
    line = _locked_line(line)
    if line.status != LineStatus.COUNTERED:
        raise ValidationError("this line has no counter-offer to answer")
    if accept:
        line.approved_rate, line.status = line.counter_rate, LineStatus.APPROVED
    else:
        if rate is None:
            raise ValidationError({"rate": "a reply needs the rate you propose"})
        _check_rate(rate, line.request.firm.currency)
        line.requested_rate, line.status = rate, LineStatus.PENDING
    line.firm_comment = comment.strip() or line.firm_comment
    line.save()
    audit_record(
        actor=actor,
        event=Event.RATE_REQUEST_LINE_ANSWERED,
        target=line.request,
        payload={"new": _line_json(line)},
        reason=comment,
    )
    _after_line_change(actor, line)
    return line


def _after_line_change(actor: User | None, line: RateRequestLine) -> None:
    if line.status == LineStatus.APPROVED:
        _apply_to_rate_card(actor, line)
    request = line.request
    lines = list(request.lines.all())
    if all(item.is_final for item in lines):
        request.status, request.decided_at = RateRequestStatus.DECIDED, timezone.now()
        audit_record(actor=actor, event=Event.RATE_REQUEST_DECIDED, target=request)
    else:
        request.status = RateRequestStatus.IN_REVIEW
    request.save(update_fields=["status", "decided_at"])


def _apply_to_rate_card(actor: User | None, line: RateRequestLine) -> Rate:
    """The decided rate becomes the rate card from the request's effective date; the rate it
    replaces ends the day before. Approved by the legal-ops user who made the decision."""
    request = line.request
    assert line.approved_rate is not None
    key: dict[str, Any] = {
        "firm": request.firm,
        "timekeeper": line.timekeeper,
        "classification": line.classification,
    }
    _close_earlier_open_row(actor, key, None, request.effective_from)
    clash = overlapping_rates(**key, matter_id=None, start=request.effective_from, end=None)
    if clash:
        raise ValidationError(f"the rate card already has {clash[0]} from that date")
    rate = Rate.objects.create(
        **key,
        rate=line.approved_rate,
        currency=request.firm.currency,
        effective_from=request.effective_from,
        source=RateSource.NEGOTIATION,
        approved_by=line.decided_by,
        request_line=line,
    )
    refresh_line(rate)
    audit_record(
        actor=actor,
        event=Event.RATE_CREATED,
        target=rate,
        payload={"new": {"rate": str(rate.rate), "from": str(rate.effective_from)}},
    )
    return rate


def _line_json(line: RateRequestLine) -> dict[str, Any]:
    return {
        "line": line.pk,
        "who": str(line),
        "status": line.status,
        "requested_rate": str(line.requested_rate),
        "counter_rate": str(line.counter_rate) if line.counter_rate is not None else None,
        "approved_rate": str(line.approved_rate) if line.approved_rate is not None else None,
    }


# --- Analysis shown to legal ops (and the firm) ------------------------------------------


@dataclass
class LineAnalysis:
    line: RateRequestLine
    prior: Decimal | None
    change_pct: Decimal | None
    annualised_pct: Decimal | None
    peers: impact.PeerRange
    impact: impact.Impact
    policy: list[str] = field(default_factory=list)


@dataclass
class RequestAnalysis:
    lines: list[LineAnalysis]
    hours_known: bool
    increase_minor: int | None
    projected_minor: int | None
    currency: str


def _prior(line: RateRequestLine, request: RateRequest) -> tuple[Decimal | None, Any]:
    if request.status != RateRequestStatus.DRAFT:
        return line.prior_rate, line.prior_effective_from
    current = selectors.current_rate(
        firm=request.firm,
        timekeeper=line.timekeeper,
        classification=line.classification,
        on=request.effective_from - datetime.timedelta(days=1),
    )
    return (current.rate, current.effective_from) if current else (None, None)


def policy_findings(
    request: RateRequest, change: Decimal | None, annualised: Decimal | None
) -> list[str]:
    """The firm's rate policy: yearly increase cap, freeze period, notice period."""
    firm, findings = request.firm, []
    yearly = annualised if annualised is not None else change
    if yearly is not None and yearly > firm.rate_increase_cap_pct:
        findings.append(f"{yearly}% a year is above the cap of {firm.rate_increase_cap_pct:.2f}%")
    if firm.rate_freeze_until and request.effective_from <= firm.rate_freeze_until:
        findings.append(f"rates are frozen until {firm.rate_freeze_until:%Y-%m-%d}")
    sent = (request.submitted_at or timezone.now()).date()
    notice = (request.effective_from - sent).days
    if notice < firm.rate_notice_days:
        findings.append(
            f"{max(notice, 0)} days' notice before it takes effect; the policy asks for "
            f"{firm.rate_notice_days}"
        )
    return findings


def rate_request_analysis(request: RateRequest) -> RequestAnalysis:
    """Each line with its prior rate, change, annualised change, the classification's peer
    range on the panel, policy findings and the impact on the last 12 months' hours."""
    until = request.effective_from - datetime.timedelta(days=1)
    hours = impact.billed_hours_last_year(firm_id=request.firm_id, until=until)
    rows = [
        _analyse_line(line, request, hours)
        for line in request.lines.select_related("timekeeper", "decided_by")
    ]
    known = [r.impact for r in rows if r.impact.increase_minor is not None]
    return RequestAnalysis(
        lines=rows,
        hours_known=hours.known,
        increase_minor=sum(i.increase_minor or 0 for i in known) if known else None,
        projected_minor=sum(i.projected_minor or 0 for i in known) if known else None,
        currency=request.firm.currency,
    )


def _analyse_line(
    line: RateRequestLine, request: RateRequest, hours: impact.BilledHours
) -> LineAnalysis:
    prior, prior_from = _prior(line, request)
    proposed = line.approved_rate or line.counter_rate or line.requested_rate
    change = impact.change_pct(prior, proposed)
    annualised = impact.annualised_pct(prior, proposed, prior_from, request.effective_from)
    peers = selectors.panel_rates(
        classification=line.classification,
        on=request.effective_from - datetime.timedelta(days=1),
        currency=request.firm.currency,
    )
    worked = impact.hours_for(
        hours, timekeeper_id=line.timekeeper_id, classification=line.classification
    )
    return LineAnalysis(
        line=line,
        prior=prior,
        change_pct=change,
        annualised_pct=annualised,
        peers=impact.peer_range(peers),
        impact=impact.rate_impact(
            prior=prior, new=proposed, hours=worked, currency=request.firm.currency
        ),
        policy=policy_findings(request, change, annualised),
    )
