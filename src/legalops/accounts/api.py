import datetime

from ninja import Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from legalops.accounts import selectors
from legalops.accounts.models import User
from legalops.core.schemas import ERRORS
from legalops.core.typing import ApiRequest

router = Router(tags=["users"])


class UserOut(Schema):
    id: int
    username: str
    email: str
    first_name: str
    last_name: str
    role: str
    firm_id: int | None
    is_firm_admin: bool
    is_active: bool
    last_login: datetime.datetime | None


@router.get("/me", response={200: UserOut, **ERRORS})
def me(request: ApiRequest) -> User:
    """The user behind the token."""
    return request.auth


@router.get("/users", response={200: list[UserOut], **ERRORS})
@paginate(LimitOffsetPagination)
def users(request: ApiRequest, q: str = "", role: str = "") -> object:
    """Users the caller may see: everyone for admins, a firm's users for its administrator,
    otherwise only the caller."""
    return selectors.user_list(user=request.auth, search=q, role=role)
