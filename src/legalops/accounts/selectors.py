"""Reads of users, tokens and invitations, scoped to what the asking user may see."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from legalops.accounts.models import ApiToken, Invitation, Role, User
from legalops.accounts.permissions import Capability, has_capability


def user_list(*, user: User, search: str = "", role: str = "") -> QuerySet[User]:
    """Admins see everyone; a firm's admin sees the users of their firm; others only
    themselves."""
    if has_capability(user, Capability.MANAGE_USERS):
        users = User.objects.all()
    elif has_capability(user, Capability.INVITE_FIRM_COLLEAGUES):
        users = User.objects.filter(role=Role.FIRM, firm_id=user.firm_id)
    else:
        users = User.objects.filter(pk=user.pk)
    if search:
        users = users.filter(
            Q(username__icontains=search)
            | Q(email__icontains=search)
            | Q(first_name__icontains=search)
            | Q(last_name__icontains=search)
        )
    if role:
        users = users.filter(role=role)
    return users.select_related("firm").order_by("username")


def user_get(*, user: User, pk: int) -> User:
    return user_list(user=user).get(pk=pk)


def invitation_list(*, user: User) -> QuerySet[Invitation]:
    if has_capability(user, Capability.MANAGE_USERS):
        invitations = Invitation.objects.all()
    elif has_capability(user, Capability.INVITE_FIRM_COLLEAGUES):
        invitations = Invitation.objects.filter(firm_id=user.firm_id)
    else:
        invitations = Invitation.objects.none()
    return invitations.select_related("firm", "invited_by")


def token_list(*, user: User) -> QuerySet[ApiToken]:
    """A user's own tokens (an admin manages others' through the user page)."""
    return ApiToken.objects.filter(user=user)
