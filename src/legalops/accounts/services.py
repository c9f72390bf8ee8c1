"""Every write to users, tokens, invitations and two-factor devices (DESIGN.md rule 3)."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from legalops.accounts import totp
from legalops.accounts.models import (
    ApiToken,
    Invitation,
    LoginFailure,
    RecoveryCode,
    Role,
    TwoFactorDevice,
    User,
)
from legalops.accounts.permissions import Capability, has_capability, require
from legalops.audit.events import Event
from legalops.audit.services import audit_record, changes
from legalops.vendors.models import LawFirm

RECOVERY_CODE_COUNT = 10
_EDITABLE_USER_FIELDS = ["first_name", "last_name", "email", "role", "firm", "is_firm_admin"]


def _check_role_and_firm(role: str, firm: LawFirm | None) -> None:
    if role not in Role.values:
        raise ValidationError({"role": f"unknown role {role!r}; one of {', '.join(Role.values)}"})
    if role == Role.FIRM and firm is None:
        raise ValidationError({"firm": "a firm user must belong to a law firm"})
    if role != Role.FIRM and firm is not None:
        raise ValidationError({"firm": "only firm users belong to a law firm"})


def _check_username_free(username: str) -> None:
    if not username or not username.strip():
        raise ValidationError({"username": "a username is required"})
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": f"username {username!r} is already taken"})


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    username: str,
    role: str,
    email: str = "",
    firm: LawFirm | None = None,
    password: str | None = None,
    first_name: str = "",
    last_name: str = "",
    is_firm_admin: bool = False,
) -> User:
    require(actor, Capability.MANAGE_USERS)
    _check_role_and_firm(role, firm)
    _check_username_free(username)
    user = User(
        username=username,
        email=email,
        role=role,
        firm=firm,
        first_name=first_name,
        last_name=last_name,
        is_firm_admin=is_firm_admin and role == Role.FIRM,
    )
    if password is None:
        user.set_unusable_password()
    else:
        validate_password(password, user)
        user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    audit_record(
        actor=actor,
        event=Event.USER_CREATED,
        target=user,
        payload={"new": {"role": role, "firm": firm.pk if firm else None, "email": email}},
    )
    return user


@transaction.atomic
def user_update(*, actor: User | None, user: User, **fields: Any) -> User:
    require(actor, Capability.MANAGE_USERS)
    unknown = set(fields) - set(_EDITABLE_USER_FIELDS)
    if unknown:
        raise ValidationError(f"fields that cannot be edited: {', '.join(sorted(unknown))}")
    _check_role_and_firm(fields.get("role", user.role), fields.get("firm", user.firm))
    diff = changes(user, _EDITABLE_USER_FIELDS, fields)
    for name, value in fields.items():
        setattr(user, name, value)
    if user.role != Role.FIRM:
        user.is_firm_admin = False
    user.full_clean(exclude=["password"])
    user.save()
    if diff["new"]:
        audit_record(actor=actor, event=Event.USER_UPDATED, target=user, payload=diff)
    return user


@transaction.atomic
def user_deactivate(*, actor: User | None, user: User, reason: str = "") -> User:
    """Takes effect at once: the session backend refuses inactive users on their next request
    and the token backend refuses their tokens, which are also revoked here."""
    require(actor, Capability.MANAGE_USERS)
    if actor is not None and actor.pk == user.pk:
        raise ValidationError("you cannot deactivate your own account")
    if not user.is_active:
        return user
    now = timezone.now()
    user.is_active = False
    user.deactivated_at = now
    user.save(update_fields=["is_active", "deactivated_at"])
    revoked = user.api_tokens.filter(revoked_at__isnull=True).update(revoked_at=now)
    audit_record(
        actor=actor,
        event=Event.USER_DEACTIVATED,
        target=user,
        reason=reason,
        payload={
            "old": {"is_active": True},
            "new": {"is_active": False},
            "tokens_revoked": revoked,
        },
    )
    return user


@transaction.atomic
def user_reactivate(*, actor: User | None, user: User, reason: str = "") -> User:
    require(actor, Capability.MANAGE_USERS)
    if user.is_active:
        return user
    user.is_active = True
    user.deactivated_at = None
    user.save(update_fields=["is_active", "deactivated_at"])
    audit_record(
        actor=actor,
        event=Event.USER_REACTIVATED,
        target=user,
        reason=reason,
        payload={"old": {"is_active": False}, "new": {"is_active": True}},
    )
    return user


@transaction.atomic
def user_password_set(
    *, actor: User | None, user: User, password: str, event: Event = Event.USER_PASSWORD_CHANGED
) -> User:
    if actor is not None and actor.pk != user.pk:
        require(actor, Capability.MANAGE_USERS)
    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(actor=actor, event=event, target=user)
    return user


# --- API tokens -------------------------------------------------------------------------------


@transaction.atomic
def token_create(*, actor: User | None, user: User, name: str = "") -> tuple[ApiToken, str]:
    """Returns the token row and the secret, which is never stored and cannot be shown again."""
    if actor is not None and actor.pk != user.pk:
        require(actor, Capability.MANAGE_USERS)
    if not user.is_active:
        raise ValidationError(f"user {user.username} is deactivated")
    raw = "lo_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name or "API token", prefix=raw[:10], digest=totp.sha256_hex(raw)
    )
    audit_record(
        actor=actor,
        event=Event.TOKEN_CREATED,
        target=token,
        payload={"user": user.username, "prefix": token.prefix},
    )
    return token, raw


@transaction.atomic
def token_revoke(*, actor: User | None, token: ApiToken) -> ApiToken:
    if actor is not None and actor.pk != token.user_id:
        require(actor, Capability.MANAGE_USERS)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor,
            event=Event.TOKEN_REVOKED,
            target=token,
            payload={"user": token.user.username, "prefix": token.prefix},
        )
    return token


def token_authenticate(raw: str) -> User | None:
    """The active user behind a bearer token, or None. Updates `last_used_at` at most once a
    minute so that busy integrations do not write on every request."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=totp.sha256_hex(raw), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


# --- Invitations ------------------------------------------------------------------------------


def _check_may_invite(actor: User, role: str, firm: LawFirm | None) -> None:
    if has_capability(actor, Capability.MANAGE_USERS):
        return
    if not has_capability(actor, Capability.INVITE_FIRM_COLLEAGUES):
        raise PermissionDenied("only administrators and a firm's administrators may invite")
    if role != Role.FIRM or firm is None or firm.pk != actor.firm_id:
        raise PermissionDenied("a firm administrator may invite colleagues of their own firm only")


@transaction.atomic
def invitation_send(
    *,
    actor: User,
    email: str,
    role: str,
    firm: LawFirm | None = None,
    is_firm_admin: bool = False,
    accept_url: str,
) -> tuple[Invitation, str]:
    """Creates the invitation and emails it once the transaction commits. `accept_url` is the
    absolute URL of the accept page with `{token}` where the secret goes."""
    _check_may_invite(actor, role, firm)
    _check_role_and_firm(role, firm)
    if User.objects.filter(email__iexact=email, is_active=True).exists():
        raise ValidationError({"email": f"{email} already has an account"})
    raw = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        email=email,
        role=role,
        firm=firm,
        is_firm_admin=is_firm_admin and role == Role.FIRM,
        invited_by=actor,
        digest=totp.sha256_hex(raw),
        expires_at=timezone.now() + timedelta(days=settings.LEGALOPS_INVITATION_DAYS),
    )
    audit_record(
        actor=actor,
        event=Event.INVITATION_SENT,
        target=invitation,
        payload={"email": email, "role": role, "firm": firm.pk if firm else None},
    )
    link = accept_url.replace("{token}", raw)
    transaction.on_commit(lambda: _send_invitation_mail(invitation, actor, link))
    return invitation, raw


def _send_invitation_mail(invitation: Invitation, actor: User, link: str) -> None:
    from legalops.core.tasks import send_mail_task  # core imports accounts: import late

    where = f" for {invitation.firm.name}" if invitation.firm else ""
    send_mail_task.enqueue(
        subject="You are invited to legalops",
        message=(
            f"{actor.display_name} invited you to legalops{where} as "
            f"{invitation.get_role_display()}.\n\nAccept the invitation and choose your "
            f"password here (valid until {invitation.expires_at:%Y-%m-%d %H:%M} UTC):\n"
            f"{link}\n"
        ),
        recipients=[invitation.email],
    )


def invitation_by_token(raw: str) -> Invitation | None:
    invitation = Invitation.objects.filter(digest=totp.sha256_hex(raw)).first()
    return invitation if invitation is not None and invitation.is_open else None


@transaction.atomic
def invitation_accept(
    *,
    token: str,
    username: str,
    password: str,
    first_name: str = "",
    last_name: str = "",
) -> User:
    invitation = invitation_by_token(token)
    if invitation is None:
        raise ValidationError("this invitation is invalid, expired, revoked or already used")
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise ValidationError("this invitation has already been used")
    _check_username_free(username)
    user = User(
        username=username,
        email=invitation.email,
        role=invitation.role,
        firm=invitation.firm,
        is_firm_admin=invitation.is_firm_admin,
        first_name=first_name,
        last_name=last_name,
    )
    validate_password(password, user)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    invitation.accepted_at = timezone.now()
    invitation.accepted_user = user
    invitation.save(update_fields=["accepted_at", "accepted_user"])
    audit_record(
        actor=user,
        event=Event.USER_CREATED,
        target=user,
        payload={"new": {"role": user.role, "firm": user.firm_id}, "via": "invitation"},
    )
    audit_record(actor=user, event=Event.INVITATION_ACCEPTED, target=invitation)
    return user


@transaction.atomic
def invitation_revoke(*, actor: User, invitation: Invitation) -> Invitation:
    _check_may_invite(actor, invitation.role, invitation.firm)
    if invitation.revoked_at is None and invitation.accepted_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        audit_record(actor=actor, event=Event.INVITATION_REVOKED, target=invitation)
    return invitation


# --- Two-factor authentication ----------------------------------------------------------------


@transaction.atomic
def two_factor_begin(*, user: User) -> TwoFactorDevice:
    """A fresh, unconfirmed secret for enrolment. An already confirmed device is kept until
    the new one is confirmed (so starting over cannot lock anyone out)."""
    device, _ = TwoFactorDevice.objects.get_or_create(
        user=user, defaults={"secret": totp.new_secret()}
    )
    if device.confirmed_at is None:
        device.secret = totp.new_secret()
        device.last_step = 0
        device.save(update_fields=["secret", "last_step"])
    return device


@transaction.atomic
def two_factor_confirm(*, user: User, secret: str, code: str) -> list[str]:
    """Confirms enrolment with the secret shown to the user and a code from their app.
    Returns the new recovery codes (shown once)."""
    step = totp.matching_step(secret, code)
    if step is None:
        raise ValidationError({"code": "that code does not match; check the time on your phone"})
    TwoFactorDevice.objects.update_or_create(
        user=user, defaults={"secret": secret, "confirmed_at": timezone.now(), "last_step": step}
    )
    codes = _replace_recovery_codes(user)
    audit_record(actor=user, event=Event.TWO_FACTOR_ENABLED, target=user)
    return codes


def _replace_recovery_codes(user: User) -> list[str]:
    RecoveryCode.objects.filter(user=user).delete()
    codes = [_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    RecoveryCode.objects.bulk_create(
        RecoveryCode(user=user, digest=totp.sha256_hex(_normalise_recovery(c))) for c in codes
    )
    return codes


def _recovery_code() -> str:
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read from paper
    raw = "".join(secrets.choice(alphabet) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


def _normalise_recovery(code: str) -> str:
    return "".join(ch for ch in code.lower() if ch.isalnum())


@transaction.atomic
def recovery_codes_regenerate(*, user: User) -> list[str]:
    if not two_factor_enabled(user):
        raise ValidationError("two-factor authentication is not enabled")
    codes = _replace_recovery_codes(user)
    audit_record(actor=user, event=Event.TWO_FACTOR_RECOVERY_REGENERATED, target=user)
    return codes


@transaction.atomic
def two_factor_disable(*, actor: User | None, user: User, reason: str = "") -> None:
    """Staff may switch off their own second factor; an admin may reset anyone's (a lost phone).
    A firm user must enrol again at their next sign-in."""
    if actor is None or actor.pk != user.pk:
        require(actor, Capability.MANAGE_USERS)
    elif user.requires_two_factor:
        raise ValidationError("two-factor authentication is required for firm users")
    deleted, _ = TwoFactorDevice.objects.filter(user=user).delete()
    RecoveryCode.objects.filter(user=user).delete()
    if deleted:
        audit_record(actor=actor, event=Event.TWO_FACTOR_DISABLED, target=user, reason=reason)


def two_factor_enabled(user: User) -> bool:
    return TwoFactorDevice.objects.filter(user=user, confirmed_at__isnull=False).exists()


@transaction.atomic
def two_factor_verify(*, user: User, code: str) -> bool:
    """Checks an authenticator code (refusing replays) or an unused recovery code."""
    device = (
        TwoFactorDevice.objects.select_for_update()
        .filter(user=user, confirmed_at__isnull=False)
        .first()
    )
    if device is None:
        return False
    step = totp.matching_step(device.secret, code, after_step=device.last_step)
    if step is not None:
        device.last_step = step
        device.save(update_fields=["last_step"])
        return True
    return _use_recovery_code(user, code)


def _use_recovery_code(user: User, code: str) -> bool:
    digest = totp.sha256_hex(_normalise_recovery(code))
    used = RecoveryCode.objects.filter(user=user, digest=digest, used_at__isnull=True).update(
        used_at=timezone.now()
    )
    if used:
        left = RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()
        audit_record(
            actor=user,
            event=Event.TWO_FACTOR_RECOVERY_USED,
            target=user,
            payload={"recovery_codes_left": left},
        )
    return bool(used)


# --- Sign-in throttling and events ------------------------------------------------------------


def login_retry_after(*, username: str, address: str) -> int:
    """Seconds until this username/address may try again; 0 when not throttled."""
    window = timedelta(seconds=settings.LEGALOPS_LOGIN_WINDOW_SECONDS)
    since = timezone.now() - window
    recent = LoginFailure.objects.filter(occurred_at__gte=since)
    by_user = recent.filter(username__iexact=username).order_by("-occurred_at")
    by_address = recent.filter(address=address).order_by("-occurred_at")
    for failures, limit in (
        (by_user, settings.LEGALOPS_LOGIN_MAX_FAILURES_PER_USER),
        (by_address, settings.LEGALOPS_LOGIN_MAX_FAILURES_PER_ADDRESS),
    ):
        times = list(failures.values_list("occurred_at", flat=True)[:limit])
        if len(times) >= limit:
            # Locked until the oldest of the last `limit` failures leaves the window.
            return max(1, int((times[-1] + window - timezone.now()).total_seconds()))
    return 0


@transaction.atomic
def login_failure_record(*, username: str, address: str, stage: str = "password") -> None:
    LoginFailure.objects.create(username=username[:150], address=address[:64])
    user = User.objects.filter(username__iexact=username).first()
    audit_record(
        actor=None,
        event=Event.USER_LOGIN_FAILED,
        target=user,
        payload={"username": username[:150], "address": address, "stage": stage},
    )


@transaction.atomic
def login_succeeded(*, user: User, address: str, two_factor: bool) -> None:
    LoginFailure.objects.filter(username__iexact=user.username).delete()
    audit_record(
        actor=user,
        event=Event.USER_LOGGED_IN,
        target=user,
        payload={"address": address, "two_factor": two_factor},
    )


@transaction.atomic
def logout_record(*, user: User) -> None:
    audit_record(actor=user, event=Event.USER_LOGGED_OUT, target=user)


@transaction.atomic
def login_failures_prune(*, older_than: timedelta = timedelta(days=30)) -> int:
    deleted, _ = LoginFailure.objects.filter(occurred_at__lt=timezone.now() - older_than).delete()
    return deleted
