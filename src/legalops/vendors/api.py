import datetime

from ninja import Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from legalops.core.schemas import ERRORS
from legalops.core.typing import ApiRequest
from legalops.vendors import selectors, services
from legalops.vendors.models import LawFirm

router = Router(tags=["law firms"])


class LawFirmOut(Schema):
    id: int
    law_firm_id: str
    name: str
    aliases: list[str]
    status: str
    currency: str
    payment_terms_days: int
    created_at: datetime.datetime


class LawFirmIn(Schema):
    law_firm_id: str
    name: str
    aliases: list[str] = []
    status: str = "approved"
    currency: str = "USD"
    payment_terms_days: int = 30


@router.get("/firms", response={200: list[LawFirmOut], **ERRORS})
@paginate(LimitOffsetPagination)
def firms(request: ApiRequest, q: str = "", status: str = "") -> object:
    """Law firms the caller may see (a firm user: only their own)."""
    return selectors.law_firm_list(user=request.auth, search=q, status=status).order_by(
        "name", "pk"
    )


@router.get("/firms/{firm_id}", response={200: LawFirmOut, **ERRORS})
def firm(request: ApiRequest, firm_id: int) -> LawFirm:
    return selectors.law_firm_get(user=request.auth, pk=firm_id)


@router.post("/firms", response={201: LawFirmOut, **ERRORS})
def firm_create(request: ApiRequest, payload: LawFirmIn) -> tuple[int, LawFirm]:
    return 201, services.law_firm_create(actor=request.auth, **payload.dict())
