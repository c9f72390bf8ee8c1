import datetime
from decimal import Decimal

from ninja import Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from legalops.accounts.permissions import Capability, require
from legalops.core.schemas import ERRORS
from legalops.core.typing import ApiRequest
from legalops.organization import selectors
from legalops.organization.models import Company, FxRate

router = Router(tags=["organization"])


class CompanyOut(Schema):
    name: str
    legal_name: str
    reporting_currency: str
    fiscal_year_start_month: int
    country: str


class CodedOut(Schema):
    id: int
    code: str
    name: str
    is_active: bool


class BusinessUnitOut(CodedOut):
    parent_id: int | None


class CurrencyOut(Schema):
    code: str
    name: str
    minor_unit: int
    is_active: bool


class FxRateOut(Schema):
    base: str
    quote: str
    date: datetime.date
    rate: Decimal
    source: str

    @staticmethod
    def resolve_base(obj: FxRate) -> str:
        return obj.base_id

    @staticmethod
    def resolve_quote(obj: FxRate) -> str:
        return obj.quote_id


def _viewer(request: ApiRequest) -> None:
    require(request.auth, Capability.VIEW_ORGANIZATION)


@router.get("/company", response={200: CompanyOut, **ERRORS})
def company(request: ApiRequest) -> Company:
    _viewer(request)
    return selectors.company_get()


@router.get("/business-units", response={200: list[BusinessUnitOut], **ERRORS})
@paginate(LimitOffsetPagination)
def business_units(request: ApiRequest) -> object:
    _viewer(request)
    return selectors.business_unit_list().order_by("name", "pk")


@router.get("/practice-areas", response={200: list[CodedOut], **ERRORS})
@paginate(LimitOffsetPagination)
def practice_areas(request: ApiRequest) -> object:
    _viewer(request)
    return selectors.practice_area_list().order_by("name", "pk")


@router.get("/currencies", response={200: list[CurrencyOut], **ERRORS})
@paginate(LimitOffsetPagination)
def currencies(request: ApiRequest) -> object:
    _viewer(request)
    return selectors.currency_list()


@router.get("/fx-rates", response={200: list[FxRateOut], **ERRORS})
@paginate(LimitOffsetPagination)
def fx_rates(request: ApiRequest, base: str = "", quote: str = "") -> object:
    _viewer(request)
    return selectors.fx_rate_list(base=base, quote=quote).order_by("base", "quote", "-date")
