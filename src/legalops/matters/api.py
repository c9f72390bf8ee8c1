import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from legalops.accounts.models import Role, User
from legalops.core.money import format_minor
from legalops.core.schemas import ERRORS
from legalops.core.typing import ApiRequest
from legalops.matters import accruals, budgets, forecasts, selectors, services
from legalops.matters.models import Accrual, AccrualPeriod, Budget, Forecast, Matter
from legalops.organization.models import BusinessUnit, PracticeArea
from legalops.vendors.selectors import law_firm_get

router = Router(tags=["matters"])

# What a firm user never sees of a matter (spec: "minus confidential details").
INTERNAL = ("exposure", "reserve", "risk_rating", "loss_probability", "notes", "lead_attorney")


def _firm_caller(context: Any) -> bool:
    request = context.get("request") if context else None
    user = getattr(request, "auth", None)
    return user is None or user.role == Role.FIRM


class AssignmentOut(Schema):
    law_firm_id: str
    role: str
    fee_arrangement: str

    @staticmethod
    def resolve_law_firm_id(obj: Any) -> str:
        return obj.firm.law_firm_id


class MatterOut(Schema):
    """Internal fields (exposure, reserve, risk, ASC 450, notes, lead) are null for firm users."""

    id: int
    number: str
    name: str
    matter_type: str
    practice_area: str | None
    business_unit: str | None
    status: str
    opened_on: datetime.date
    closed_on: datetime.date | None
    confidential: bool
    currency: str
    code_set: str
    gl_code: str
    firms: list[AssignmentOut]
    lead_attorney: str | None = None
    risk_rating: str | None = None
    loss_probability: str | None = None
    custom_fields: dict[str, Any] | None = None
    exposure: str | None = None
    reserve: str | None = None
    notes: str | None = None

    @staticmethod
    def resolve_practice_area(obj: Matter) -> str | None:
        return obj.practice_area.code if obj.practice_area else None

    @staticmethod
    def resolve_business_unit(obj: Matter) -> str | None:
        return obj.business_unit.code if obj.business_unit else None

    @staticmethod
    def resolve_firms(obj: Matter, context: Any) -> Any:
        rows = obj.assignments.select_related("firm")
        if _firm_caller(context):
            user = context["request"].auth
            rows = rows.filter(firm_id=user.firm_id)
        return rows

    @staticmethod
    def resolve_lead_attorney(obj: Matter, context: Any) -> str | None:
        if _firm_caller(context) or obj.lead_attorney is None:
            return None
        return obj.lead_attorney.username

    @staticmethod
    def resolve_risk_rating(obj: Matter, context: Any) -> str | None:
        return None if _firm_caller(context) else obj.risk_rating

    @staticmethod
    def resolve_loss_probability(obj: Matter, context: Any) -> str | None:
        return None if _firm_caller(context) else obj.loss_probability

    @staticmethod
    def resolve_exposure(obj: Matter, context: Any) -> str | None:
        if _firm_caller(context) or obj.exposure_minor is None:
            return None
        return format_minor(obj.exposure_minor, obj.currency)

    @staticmethod
    def resolve_reserve(obj: Matter, context: Any) -> str | None:
        if _firm_caller(context) or obj.reserve_minor is None:
            return None
        return format_minor(obj.reserve_minor, obj.currency)

    @staticmethod
    def resolve_notes(obj: Matter, context: Any) -> str | None:
        return None if _firm_caller(context) else obj.notes

    @staticmethod
    def resolve_custom_fields(obj: Matter, context: Any) -> dict[str, Any] | None:
        return None if _firm_caller(context) else obj.custom_fields


class MatterIn(Schema):
    number: str
    name: str
    matter_type: str
    opened_on: datetime.date
    practice_area: str | None = None
    business_unit: str | None = None
    lead_attorney: str | None = None
    confidential: bool = False
    currency: str = "USD"
    code_set: str = "litigation"
    gl_code: str = ""
    description: str = ""
    custom_fields: dict[str, Any] = {}


class MatterPatch(Schema):
    name: str | None = None
    matter_type: str | None = None
    practice_area: str | None = None
    business_unit: str | None = None
    lead_attorney: str | None = None
    confidential: bool | None = None
    gl_code: str | None = None
    description: str | None = None
    risk_rating: str | None = None
    loss_probability: str | None = None
    outcome: str | None = None
    notes: str | None = None
    custom_fields: dict[str, Any] | None = None


def _resolve_refs(data: dict[str, Any]) -> dict[str, Any]:
    """Codes and usernames in the body to rows (unknown ones are a 404)."""
    if data.get("practice_area"):
        data["practice_area"] = get_object_or_404(PracticeArea, code=data["practice_area"])
    if data.get("business_unit"):
        data["business_unit"] = get_object_or_404(BusinessUnit, code=data["business_unit"])
    if data.get("lead_attorney"):
        data["lead_attorney"] = get_object_or_404(User, username=data["lead_attorney"])
    return data


@router.get("/matters", response={200: list[MatterOut], **ERRORS})
@paginate(LimitOffsetPagination)
def matter_list(
    request: ApiRequest,
    q: str = "",
    status: str = "",
    matter_type: str = "",
    firm_id: int | None = None,
) -> object:
    """Matters the caller may see: confidential ones only for their team and legal ops; a
    firm user only the matters the firm is assigned to."""
    rows = selectors.matter_list(
        user=request.auth, search=q, firm_id=firm_id, status=status, matter_type=matter_type
    )
    return rows.order_by("number", "pk")


@router.get("/matters/{pk}", response={200: MatterOut, **ERRORS})
def matter(request: ApiRequest, pk: int) -> Matter:
    return selectors.matter_get(user=request.auth, pk=pk)


@router.post("/matters", response={201: MatterOut, **ERRORS})
def matter_create(request: ApiRequest, payload: MatterIn) -> Status[Matter]:
    data = _resolve_refs(payload.dict())
    return Status(201, services.matter_create(actor=request.auth, **data))


@router.patch("/matters/{pk}", response={200: MatterOut, **ERRORS})
def matter_update(request: ApiRequest, pk: int, payload: MatterPatch) -> Matter:
    matter = selectors.matter_get(user=request.auth, pk=pk)
    data = _resolve_refs(payload.dict(exclude_unset=True))
    if data.get("custom_fields") is not None:  # the keys sent change; null clears one
        data["custom_fields"] = matter.custom_fields | data["custom_fields"]
    else:
        data.pop("custom_fields", None)
    return services.matter_update(actor=request.auth, matter=matter, **data)


class BudgetLineOut(Schema):
    phase: str
    amount: str


class BudgetOut(Schema):
    id: int
    client_matter_id: str
    law_firm_id: str
    fiscal_year: int
    currency: str
    approved_total: str | None
    approved_lines: list[BudgetLineOut]
    pending_versions: int

    @staticmethod
    def resolve_client_matter_id(obj: Budget) -> str:
        return obj.matter.number

    @staticmethod
    def resolve_law_firm_id(obj: Budget) -> str:
        return obj.firm.law_firm_id

    @staticmethod
    def resolve_approved_total(obj: Budget) -> str | None:
        version = obj.approved_version
        return format_minor(version.total_minor, obj.currency) if version else None

    @staticmethod
    def resolve_approved_lines(obj: Budget) -> list[dict[str, str]]:
        version = obj.approved_version
        if version is None:
            return []
        return [
            {"phase": line.phase, "amount": format_minor(line.amount_minor, obj.currency)}
            for line in version.lines.all()
        ]

    @staticmethod
    def resolve_pending_versions(obj: Budget) -> int:
        return obj.versions.filter(status="submitted").count()


class BudgetIn(Schema):
    """A new version: `amounts` maps a phase ("" = whole matter) to a decimal amount."""

    matter_id: int
    firm_id: int
    fiscal_year: int
    amounts: dict[str, Decimal]
    currency: str = ""
    note: str = ""
    approve: bool = False


@router.get("/budgets", response={200: list[BudgetOut], **ERRORS})
@paginate(LimitOffsetPagination)
def budget_list(
    request: ApiRequest, fiscal_year: int | None = None, firm_id: int | None = None
) -> object:
    rows = selectors.budget_list(user=request.auth, fiscal_year=fiscal_year, firm_id=firm_id)
    return rows.order_by("-fiscal_year", "matter__number", "pk")


@router.get("/budgets/{pk}", response={200: BudgetOut, **ERRORS})
def budget(request: ApiRequest, pk: int) -> Budget:
    return selectors.budget_get(user=request.auth, pk=pk)


@router.post("/budgets", response={201: BudgetOut, **ERRORS})
def budget_submit(request: ApiRequest, payload: BudgetIn) -> Status[Budget]:
    """Submits a version (a firm's awaits approval; legal ops may approve it at once)."""
    data = payload.dict()
    matter = selectors.matter_get(user=request.auth, pk=data.pop("matter_id"))
    firm = law_firm_get(user=request.auth, pk=data.pop("firm_id"))
    version = budgets.budget_submit(actor=request.auth, matter=matter, firm=firm, **data)
    return Status(201, version.budget)


class AccrualOut(Schema):
    id: int
    period: str
    client_matter_id: str
    law_firm_id: str
    currency: str
    current: str
    prior: str
    reported_at: datetime.datetime

    @staticmethod
    def resolve_period(obj: Accrual) -> str:
        return f"{obj.period.month:%Y-%m}"

    @staticmethod
    def resolve_client_matter_id(obj: Accrual) -> str:
        return obj.matter.number

    @staticmethod
    def resolve_law_firm_id(obj: Accrual) -> str:
        return obj.firm.law_firm_id

    @staticmethod
    def resolve_current(obj: Accrual) -> str:
        return format_minor(obj.current_minor, obj.currency)

    @staticmethod
    def resolve_prior(obj: Accrual) -> str:
        return format_minor(obj.prior_minor, obj.currency)


class AccrualIn(Schema):
    period: str  # YYYY-MM
    matter_id: int
    firm_id: int
    current: Decimal
    prior: Decimal = Decimal(0)
    note: str = ""


@router.get("/accruals", response={200: list[AccrualOut], **ERRORS})
@paginate(LimitOffsetPagination)
def accrual_list(request: ApiRequest, period: str = "", firm_id: int | None = None) -> object:
    """Accruals: finance and legal ops see all; a firm user its own."""
    found = _period(period) if period else None
    rows = selectors.accrual_list(user=request.auth, period=found, firm_id=firm_id)
    return rows.order_by("-period__month", "matter__number", "pk")


def _period(text: str) -> AccrualPeriod:
    try:
        month = datetime.date.fromisoformat(f"{text[:7]}-01")
    except ValueError:
        raise ValidationError({"period": f"{text!r} is not a month (YYYY-MM)"}) from None
    return get_object_or_404(AccrualPeriod, month=month)


@router.post("/accruals", response={201: AccrualOut, **ERRORS})
def accrual_report(request: ApiRequest, payload: AccrualIn) -> Status[Accrual]:
    data = payload.dict()
    matter = selectors.matter_get(user=request.auth, pk=data.pop("matter_id"))
    firm = law_firm_get(user=request.auth, pk=data.pop("firm_id"))
    period = _period(data.pop("period"))
    row = accruals.accrual_report(
        actor=request.auth, period=period, matter=matter, firm=firm, **data
    )
    return Status(201, row)


class ForecastOut(Schema):
    id: int
    firm_id: int | None
    granularity: str
    period_start: datetime.date
    amount: str
    currency: str

    @staticmethod
    def resolve_amount(obj: Forecast) -> str:
        return format_minor(obj.amount_minor, obj.currency)


class ForecastIn(Schema):
    granularity: str = "month"
    period_start: datetime.date
    amount: Decimal
    firm_id: int | None = None


@router.get("/matters/{pk}/forecasts", response={200: list[ForecastOut], **ERRORS})
@paginate(LimitOffsetPagination)
def forecast_list(request: ApiRequest, pk: int) -> object:
    matter = selectors.matter_get(user=request.auth, pk=pk)
    return selectors.forecast_list(user=request.auth, matter=matter).order_by("period_start", "pk")


@router.post("/matters/{pk}/forecasts", response={201: ForecastOut, **ERRORS})
def forecast_set(request: ApiRequest, pk: int, payload: ForecastIn) -> Status[Forecast]:
    """Enters (or replaces) the expected spend of a month or quarter on the matter."""
    matter = selectors.matter_get(user=request.auth, pk=pk)
    data = payload.dict()
    firm_pk = data.pop("firm_id")
    firm = law_firm_get(user=request.auth, pk=firm_pk) if firm_pk else None
    row = forecasts.forecast_set(actor=request.auth, matter=matter, firm=firm, **data)
    return Status(201, row)
