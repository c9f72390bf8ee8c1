import datetime

from ninja import Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from legalops.core.schemas import ERRORS
from legalops.core.typing import ApiRequest
from legalops.notifications import selectors, services
from legalops.notifications.models import Notification

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    url: str
    created_at: datetime.datetime
    read_at: datetime.datetime | None


class ReadIn(Schema):
    """The notifications to mark read; none given: all of them."""

    ids: list[int] = []


class ReadOut(Schema):
    marked: int
    unread: int


@router.get("/notifications", response={200: list[NotificationOut], **ERRORS})
@paginate(LimitOffsetPagination)
def notification_list(request: ApiRequest, unread: bool = False, kind: str = "") -> object:
    """The caller's own notifications, newest first."""
    return selectors.notification_list(user=request.auth, kind=kind, unread=unread)


@router.post("/notifications/read", response={200: ReadOut, **ERRORS})
def notification_read(request: ApiRequest, payload: ReadIn) -> dict[str, int]:
    user = request.auth
    if payload.ids:
        rows: list[Notification] = list(
            selectors.notification_list(user=user, unread=True).filter(pk__in=payload.ids)
        )
        for row in rows:
            services.notification_read(actor=user, notification=row)
        marked = len(rows)
    else:
        marked = services.notifications_read_all(actor=user)
    return {"marked": marked, "unread": selectors.unread_count(user)}
