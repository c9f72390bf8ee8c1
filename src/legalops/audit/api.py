import datetime
from typing import Any

from ninja import Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from legalops.accounts.permissions import Capability, require
from legalops.audit.selectors import audit_event_list
from legalops.core.schemas import ERRORS
from legalops.core.typing import ApiRequest

router = Router(tags=["audit"])


class AuditEventOut(Schema):
    id: int
    occurred_at: datetime.datetime
    actor_id: int | None
    actor_name: str
    event_type: str
    target_type: str
    target_id: str
    target_repr: str
    payload: dict[str, Any]
    reason: str


@router.get("/audit-events", response={200: list[AuditEventOut], **ERRORS})
@paginate(LimitOffsetPagination)
def audit_events(
    request: ApiRequest,
    event_type: str = "",
    target_type: str = "",
    target_id: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> object:
    """The audit trail, newest first (administrators only)."""
    require(request.auth, Capability.VIEW_AUDIT)
    return audit_event_list(
        user=request.auth,
        event_type=event_type,
        target_type=target_type,
        target_id=target_id,
        date_from=date_from,
        date_to=date_to,
    )
