import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from legalops.core.schemas import ERRORS
from legalops.core.typing import ApiRequest
from legalops.vendors import rate_requests, selectors, services
from legalops.vendors.models import FirmEvaluation, LawFirm, Rate, RateRequest, Timekeeper

router = Router(tags=["law firms"])


class LawFirmOut(Schema):
    id: int
    law_firm_id: str
    name: str
    aliases: list[str]
    status: str
    vendor_type: str
    currency: str
    payment_terms_days: int
    relationship_partner: str
    diversity_certifications: list[str]
    rate_increase_cap_pct: Decimal
    rate_freeze_until: datetime.date | None
    rate_notice_days: int
    created_at: datetime.datetime


class LawFirmIn(Schema):
    law_firm_id: str
    name: str
    aliases: list[str] = []
    status: str = "approved"
    vendor_type: str = "law_firm"
    currency: str = "USD"
    payment_terms_days: int = 30
    relationship_partner: str = ""
    diversity_certifications: list[str] = []
    rate_increase_cap_pct: Decimal = Decimal("5")
    rate_freeze_until: datetime.date | None = None
    rate_notice_days: int = 60


class LawFirmPatch(Schema):
    name: str | None = None
    aliases: list[str] | None = None
    status: str | None = None
    vendor_type: str | None = None
    currency: str | None = None
    payment_terms_days: int | None = None
    relationship_partner: str | None = None
    diversity_certifications: list[str] | None = None
    rate_increase_cap_pct: Decimal | None = None
    rate_freeze_until: datetime.date | None = None
    rate_notice_days: int | None = None


@router.get("/firms", response={200: list[LawFirmOut], **ERRORS})
@paginate(LimitOffsetPagination)
def firms(request: ApiRequest, q: str = "", status: str = "", vendor_type: str = "") -> object:
    """Law firms the caller may see (a firm user: only their own)."""
    return selectors.law_firm_list(
        user=request.auth, search=q, status=status, vendor_type=vendor_type
    ).order_by("name", "pk")


@router.get("/firms/{firm_id}", response={200: LawFirmOut, **ERRORS})
def firm(request: ApiRequest, firm_id: int) -> LawFirm:
    return selectors.law_firm_get(user=request.auth, pk=firm_id)


@router.post("/firms", response={201: LawFirmOut, **ERRORS})
def firm_create(request: ApiRequest, payload: LawFirmIn) -> Status[LawFirm]:
    return Status(201, services.law_firm_create(actor=request.auth, **payload.dict()))


@router.patch("/firms/{firm_id}", response={200: LawFirmOut, **ERRORS})
def firm_update(request: ApiRequest, firm_id: int, payload: LawFirmPatch) -> LawFirm:
    firm = selectors.law_firm_get(user=request.auth, pk=firm_id)
    return services.law_firm_update(
        actor=request.auth, firm=firm, **payload.dict(exclude_unset=True)
    )


class TimekeeperOut(Schema):
    id: int
    firm_id: int
    law_firm_id: str
    timekeeper_id: str
    name: str
    classification: str
    bar_admission_year: int | None
    office: str
    diversity: list[str]
    is_active: bool

    @staticmethod
    def resolve_law_firm_id(obj: Timekeeper) -> str:
        return obj.firm.law_firm_id


class TimekeeperIn(Schema):
    firm_id: int
    timekeeper_id: str
    name: str
    classification: str
    bar_admission_year: int | None = None
    office: str = ""
    diversity: list[str] = []
    is_active: bool = True


class TimekeeperPatch(Schema):
    name: str | None = None
    classification: str | None = None
    bar_admission_year: int | None = None
    office: str | None = None
    diversity: list[str] | None = None
    is_active: bool | None = None


@router.get("/timekeepers", response={200: list[TimekeeperOut], **ERRORS})
@paginate(LimitOffsetPagination)
def timekeepers(
    request: ApiRequest,
    firm_id: int | None = None,
    q: str = "",
    classification: str = "",
    active: bool | None = None,
) -> object:
    firm = selectors.law_firm_get(user=request.auth, pk=firm_id) if firm_id else None
    rows = selectors.timekeeper_list(
        user=request.auth, firm=firm, search=q, classification=classification, active=active
    )
    return rows.order_by("firm__name", "name", "pk")


@router.get("/timekeepers/{pk}", response={200: TimekeeperOut, **ERRORS})
def timekeeper(request: ApiRequest, pk: int) -> Timekeeper:
    return selectors.timekeeper_list(user=request.auth).get(pk=pk)


@router.post("/timekeepers", response={201: TimekeeperOut, **ERRORS})
def timekeeper_create(request: ApiRequest, payload: TimekeeperIn) -> Status[Timekeeper]:
    data = payload.dict()
    firm = selectors.law_firm_get(user=request.auth, pk=data.pop("firm_id"))
    return Status(201, services.timekeeper_create(actor=request.auth, firm=firm, **data))


@router.patch("/timekeepers/{pk}", response={200: TimekeeperOut, **ERRORS})
def timekeeper_update(request: ApiRequest, pk: int, payload: TimekeeperPatch) -> Timekeeper:
    keeper = selectors.timekeeper_list(user=request.auth).get(pk=pk)
    return services.timekeeper_update(
        actor=request.auth, timekeeper=keeper, **payload.dict(exclude_unset=True)
    )


class RateOut(Schema):
    """One approved rate, with the RATES.csv fields (spec/cli.md) and its provenance."""

    id: int
    law_firm_id: str
    timekeeper_id: str
    timekeeper_name: str
    classification: str
    rate: Decimal
    currency: str
    effective_from: datetime.date
    effective_to: datetime.date | None
    client_matter_id: str
    source: str
    approved_by: str | None
    approved_at: datetime.datetime

    @staticmethod
    def resolve_law_firm_id(obj: Rate) -> str:
        return obj.firm.law_firm_id

    @staticmethod
    def resolve_timekeeper_id(obj: Rate) -> str:
        return obj.timekeeper.timekeeper_id if obj.timekeeper else ""

    @staticmethod
    def resolve_timekeeper_name(obj: Rate) -> str:
        return obj.timekeeper.name if obj.timekeeper else ""

    @staticmethod
    def resolve_client_matter_id(obj: Rate) -> str:
        return obj.matter.number if obj.matter else ""

    @staticmethod
    def resolve_approved_by(obj: Rate) -> str | None:
        return obj.approved_by.username if obj.approved_by else None


class RateIn(Schema):
    firm_id: int
    rate: Decimal
    effective_from: datetime.date
    effective_to: datetime.date | None = None
    timekeeper_id: int | None = None
    classification: str = ""


@router.get("/rates", response={200: list[RateOut], **ERRORS})
@paginate(LimitOffsetPagination)
def rates(
    request: ApiRequest,
    firm_id: int | None = None,
    on: datetime.date | None = None,
    classification: str = "",
) -> object:
    """Approved rates (history included unless `on` picks a day)."""
    firm = selectors.law_firm_get(user=request.auth, pk=firm_id) if firm_id else None
    rows = selectors.rate_list(user=request.auth, firm=firm, on=on, classification=classification)
    return rows.order_by(
        "firm__law_firm_id", "classification", "timekeeper_id", "effective_from", "pk"
    )


@router.post("/rates", response={201: RateOut, **ERRORS})
def rate_create(request: ApiRequest, payload: RateIn) -> Status[Rate]:
    data = payload.dict()
    firm = selectors.law_firm_get(user=request.auth, pk=data.pop("firm_id"))
    keeper_pk = data.pop("timekeeper_id")
    keeper = firm.timekeepers.get(pk=keeper_pk) if keeper_pk else None
    return Status(
        201, services.rate_create(actor=request.auth, firm=firm, timekeeper=keeper, **data)
    )


class RequestLineOut(Schema):
    id: int
    timekeeper_id: int | None
    classification: str
    requested_rate: Decimal
    prior_rate: Decimal | None
    counter_rate: Decimal | None
    approved_rate: Decimal | None
    status: str
    firm_comment: str
    legal_comment: str


class RateRequestOut(Schema):
    id: int
    firm_id: int
    fiscal_year: int
    effective_from: datetime.date
    status: str
    note: str
    submitted_at: datetime.datetime | None
    decided_at: datetime.datetime | None
    lines: list[RequestLineOut]

    @staticmethod
    def resolve_lines(obj: RateRequest) -> Any:
        return obj.lines.all()


class RequestLineIn(Schema):
    timekeeper_id: int | None = None
    classification: str = ""
    requested_rate: Decimal
    firm_comment: str = ""


class RateRequestIn(Schema):
    """A firm's proposal (legal ops may file one on a firm's behalf); `submit` sends it."""

    firm_id: int
    fiscal_year: int
    effective_from: datetime.date | None = None
    note: str = ""
    lines: list[RequestLineIn]
    submit: bool = False


class AnswerIn(Schema):
    accept: bool
    rate: Decimal | None = None
    comment: str = ""


class DecisionIn(Schema):
    decision: str
    counter_rate: Decimal | None = None
    comment: str = ""


@router.get("/rate-requests", response={200: list[RateRequestOut], **ERRORS})
@paginate(LimitOffsetPagination)
def rate_request_list(
    request: ApiRequest, status: str = "", fiscal_year: int | None = None
) -> object:
    rows = selectors.rate_request_list(user=request.auth, status=status, fiscal_year=fiscal_year)
    return rows.prefetch_related("lines").order_by("-created_at", "pk")


@router.get("/rate-requests/{pk}", response={200: RateRequestOut, **ERRORS})
def rate_request(request: ApiRequest, pk: int) -> RateRequest:
    return selectors.rate_request_get(user=request.auth, pk=pk)


@router.post("/rate-requests", response={201: RateRequestOut, **ERRORS})
@transaction.atomic
def rate_request_create(request: ApiRequest, payload: RateRequestIn) -> Status[RateRequest]:
    """Creates the request with its lines (and submits it), all or nothing."""
    firm = selectors.law_firm_get(user=request.auth, pk=payload.firm_id)
    created = rate_requests.rate_request_create(
        actor=request.auth,
        firm=firm,
        fiscal_year=payload.fiscal_year,
        effective_from=payload.effective_from,
        note=payload.note,
    )
    for line in payload.lines:
        keeper = firm.timekeepers.get(pk=line.timekeeper_id) if line.timekeeper_id else None
        rate_requests.rate_request_line_add(
            actor=request.auth,
            request=created,
            timekeeper=keeper,
            classification=line.classification,
            requested_rate=line.requested_rate,
            firm_comment=line.firm_comment,
        )
    if payload.submit:
        rate_requests.rate_request_submit(actor=request.auth, request=created)
    return Status(201, created)


@router.post("/rate-requests/lines/{pk}/answer", response={200: RequestLineOut, **ERRORS})
def rate_request_line_answer(request: ApiRequest, pk: int, payload: AnswerIn) -> Any:
    """The firm's answer to a counter-offer: accept it, or reply with another rate."""
    from legalops.vendors.models import RateRequestLine

    visible = selectors.rate_request_list(user=request.auth)
    line = get_object_or_404(RateRequestLine, pk=pk, request__in=visible)
    return rate_requests.rate_request_line_answer(actor=request.auth, line=line, **payload.dict())


@router.post("/rate-requests/lines/{pk}/decision", response={200: RequestLineOut, **ERRORS})
def rate_request_line_decide(request: ApiRequest, pk: int, payload: DecisionIn) -> Any:
    """Legal ops' decision on a pending line: approve, reject or counter (with counter_rate)."""
    from legalops.vendors.models import RateRequestLine

    visible = selectors.rate_request_list(user=request.auth)
    line = get_object_or_404(RateRequestLine, pk=pk, request__in=visible)
    return rate_requests.rate_request_line_decide(actor=request.auth, line=line, **payload.dict())


class EvaluationOut(Schema):
    id: int
    firm_id: int
    matter_id: int | None
    period: str
    quality: int
    responsiveness: int
    budget_accuracy: int
    value: int
    average: Decimal
    comments: str
    evaluated_at: datetime.datetime


class EvaluationIn(Schema):
    firm_id: int
    period: str
    quality: int
    responsiveness: int
    budget_accuracy: int
    value: int
    comments: str = ""
    matter_id: int | None = None


@router.post("/evaluations", response={201: EvaluationOut, **ERRORS})
def evaluation_create(request: ApiRequest, payload: EvaluationIn) -> Status[FirmEvaluation]:
    from legalops.matters.selectors import matter_get

    data = payload.dict()
    firm = selectors.law_firm_get(user=request.auth, pk=data.pop("firm_id"))
    matter_pk = data.pop("matter_id")
    matter = matter_get(user=request.auth, pk=matter_pk) if matter_pk else None
    return Status(201, services.firm_evaluate(actor=request.auth, firm=firm, matter=matter, **data))


@router.get("/evaluations", response={200: list[EvaluationOut], **ERRORS})
@paginate(LimitOffsetPagination)
def evaluations(request: ApiRequest, firm_id: int | None = None, period: str = "") -> object:
    """Scorecards (staff only: a firm user gets an empty list)."""
    firm = selectors.law_firm_get(user=request.auth, pk=firm_id) if firm_id else None
    return selectors.evaluation_list(user=request.auth, firm=firm, period=period).order_by(
        "-evaluated_at", "pk"
    )
