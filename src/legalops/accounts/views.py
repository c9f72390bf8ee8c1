"""Sign-in (password, then a second factor), enrolment, account security and user admin."""

from __future__ import annotations

import time
from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from legalops.accounts import selectors, services, totp
from legalops.accounts.decorators import capability_required
from legalops.accounts.forms import (
    AcceptInvitationForm,
    AuditedPasswordChangeForm,
    AuditedSetPasswordForm,
    CodeForm,
    EnrolForm,
    InvitationForm,
    LoginForm,
    ReasonForm,
    TokenForm,
    UserEditForm,
)
from legalops.accounts.models import Role, User
from legalops.accounts.permissions import Capability
from legalops.core.forms import add_service_errors
from legalops.core.htmx import template_for
from legalops.core.listing import listing
from legalops.core.typing import AuthedRequest

PENDING_KEY = "legalops_pending_login"
PENDING_SECONDS = 10 * 60
ISSUER = "legalops"


def client_address(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR") or "unknown")


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


# --- Sign-in ----------------------------------------------------------------------------------


@login_not_required
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(_safe_next(request))
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        response = _password_step(request, form)
        if response is not None:
            return response
    return render(request, "accounts/login.html", {"form": form, "next": _safe_next(request)})


def _throttled(request: HttpRequest, form: LoginForm, username: str) -> bool:
    wait = services.login_retry_after(username=username, address=client_address(request))
    if wait:
        minutes = max(1, round(wait / 60))
        form.add_error(
            None,
            f"Too many failed sign-in attempts. Try again in about {minutes} "
            "minute(s), or reset your password.",
        )
    return bool(wait)


def _password_step(request: HttpRequest, form: LoginForm) -> HttpResponse | None:
    username = form.cleaned_data["username"]
    if _throttled(request, form, username):
        return None
    user = authenticate(request, username=username, password=form.cleaned_data["password"])
    if user is None:
        services.login_failure_record(username=username, address=client_address(request))
        form.add_error(None, "That username and password do not match an active account.")
        return None
    assert isinstance(user, User)
    if not (user.requires_two_factor or services.two_factor_enabled(user)):
        return _complete_login(request, user, two_factor=False)
    request.session[PENDING_KEY] = {"user": user.pk, "at": time.time(), "next": _safe_next(request)}
    if services.two_factor_enabled(user):
        return redirect("accounts:login_verify")
    return redirect("accounts:login_enrol")


def _pending_user(request: HttpRequest) -> User | None:
    pending = request.session.get(PENDING_KEY)
    if not pending or time.time() - pending["at"] > PENDING_SECONDS:
        return None
    return User.objects.filter(pk=pending["user"], is_active=True).first()


def _complete_login(request: HttpRequest, user: User, *, two_factor: bool) -> HttpResponse:
    target = request.session.get(PENDING_KEY, {}).get("next") or _safe_next(request)
    request.session.pop(PENDING_KEY, None)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    services.login_succeeded(user=user, address=client_address(request), two_factor=two_factor)
    return redirect(target)


@login_not_required
def login_verify_view(request: HttpRequest) -> HttpResponse:
    user = _pending_user(request)
    if user is None:
        messages.info(request, "Please sign in again.")
        return redirect("accounts:login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        address = client_address(request)
        if services.login_retry_after(username=user.username, address=address):
            form.add_error(None, "Too many failed attempts. Wait a few minutes and try again.")
        elif services.two_factor_verify(user=user, code=form.cleaned_data["code"]):
            return _complete_login(request, user, two_factor=True)
        else:
            services.login_failure_record(
                username=user.username, address=address, stage="two_factor"
            )
            form.add_error("code", "That code is not valid (or was already used).")
    return render(request, "accounts/login_verify.html", {"form": form})


def _qr_svg(uri: str) -> str:
    return str(segno.make(uri, error="m").svg_inline(scale=4, dark="#111", light="#fff"))


def _enrolment(request: HttpRequest, user: User, *, session_key: str) -> dict[str, Any]:
    """Keeps the secret being enrolled in the session until the user proves a code."""
    secret = request.session.get(session_key)
    if not secret or request.method == "GET":
        secret = services.two_factor_begin(user=user).secret
        request.session[session_key] = secret
    uri = totp.provisioning_uri(secret, account=user.username, issuer=ISSUER)
    return {"secret": secret, "qr_svg": _qr_svg(uri), "otpauth_uri": uri}


@login_not_required
def login_enrol_view(request: HttpRequest) -> HttpResponse:
    """Firm users must set up an authenticator before their first sign-in completes."""
    user = _pending_user(request)
    if user is None:
        messages.info(request, "Please sign in again.")
        return redirect("accounts:login")
    context = _enrolment(request, user, session_key="legalops_enrol_secret")
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.two_factor_confirm(
                user=user, secret=context["secret"], code=form.cleaned_data["code"]
            )
        except ValidationError as exc:
            form.add_error("code", exc.message_dict.get("code", exc.messages))
        else:
            request.session.pop("legalops_enrol_secret", None)
            _complete_login(request, user, two_factor=True)
            # Shown once, before the user continues to the page they asked for.
            request.session["legalops_new_recovery_codes"] = codes
            return redirect("accounts:recovery_codes")
    return render(
        request, "accounts/login_enrol.html", {"form": form, "user_to_enrol": user, **context}
    )


@require_POST
def logout_view(request: AuthedRequest) -> HttpResponse:
    if request.user.is_authenticated:
        services.logout_record(user=request.user)
    logout(request)
    messages.info(request, "You are signed out.")
    return redirect("accounts:login")


# --- Password reset (Django's views with our templates and an audited save) -------------------

password_reset = auth_views.PasswordResetView.as_view(
    template_name="accounts/password_reset.html",
    email_template_name="accounts/password_reset_email.txt",
    subject_template_name="accounts/password_reset_subject.txt",
    success_url=reverse_lazy("accounts:password_reset_done"),
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_done.html"
)
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="accounts/password_reset_confirm.html",
    form_class=AuditedSetPasswordForm,
    success_url=reverse_lazy("accounts:password_reset_complete"),
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)


password_change = auth_views.PasswordChangeView.as_view(
    template_name="accounts/password_change.html",
    form_class=AuditedPasswordChangeForm,
    success_url=reverse_lazy("accounts:security"),
)


# --- Own account: two-factor, recovery codes, API tokens --------------------------------------


def security_view(request: AuthedRequest) -> HttpResponse:
    user = request.user
    new_token = request.session.pop("legalops_new_token", None)
    return render(
        request,
        "accounts/security.html",
        {
            "two_factor": services.two_factor_enabled(user),
            "recovery_left": user.recovery_codes.filter(used_at__isnull=True).count(),
            "tokens": selectors.token_list(user=user),
            "token_form": TokenForm(),
            "new_token": new_token,
        },
    )


def two_factor_setup_view(request: AuthedRequest) -> HttpResponse:
    user = request.user
    context = _enrolment(request, user, session_key="legalops_setup_secret")
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.two_factor_confirm(
                user=user, secret=context["secret"], code=form.cleaned_data["code"]
            )
        except ValidationError as exc:
            form.add_error("code", exc.message_dict.get("code", exc.messages))
        else:
            request.session.pop("legalops_setup_secret", None)
            request.session["legalops_new_recovery_codes"] = codes
            return redirect("accounts:recovery_codes")
    return render(request, "accounts/two_factor_setup.html", {"form": form, **context})


def recovery_codes_view(request: AuthedRequest) -> HttpResponse:
    codes = request.session.pop("legalops_new_recovery_codes", None)
    if codes is None:
        return redirect("accounts:security")
    return render(request, "accounts/recovery_codes.html", {"codes": codes})


@require_POST
def recovery_codes_regenerate_view(request: AuthedRequest) -> HttpResponse:
    try:
        codes = services.recovery_codes_regenerate(user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("accounts:security")
    request.session["legalops_new_recovery_codes"] = codes
    return redirect("accounts:recovery_codes")


@require_POST
def two_factor_disable_view(request: AuthedRequest) -> HttpResponse:
    user = request.user
    try:
        services.two_factor_disable(actor=user, user=user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Two-factor authentication is off.")
    return redirect("accounts:security")


@require_POST
def token_create_view(request: AuthedRequest) -> HttpResponse:
    form = TokenForm(request.POST)
    if form.is_valid():
        user = request.user
        _, raw = services.token_create(actor=user, user=user, name=form.cleaned_data["name"])
        request.session["legalops_new_token"] = raw
    return redirect("accounts:security")


@require_POST
def token_revoke_view(request: AuthedRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(selectors.token_list(user=request.user), pk=pk)
    services.token_revoke(actor=request.user, token=token)
    messages.success(request, f"Token {token.prefix}… revoked.")
    return redirect("accounts:security")


# --- Invitations ------------------------------------------------------------------------------


@login_not_required
def invitation_accept_view(request: HttpRequest, token: str) -> HttpResponse:
    invitation = services.invitation_by_token(token)
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    form = AcceptInvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.invitation_accept(
                token=token,
                username=data["username"],
                password=data["password1"],
                first_name=data["first_name"],
                last_name=data["last_name"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Your account is ready. Sign in to continue.")
            return redirect("accounts:login")
    return render(
        request, "accounts/invitation_accept.html", {"form": form, "invitation": invitation}
    )


def invite_view(request: AuthedRequest) -> HttpResponse:
    """Admins invite anyone; a firm's administrator invites colleagues of their firm."""
    user = request.user
    firm_only = user.firm if user.role == Role.FIRM else None
    if not (user.is_admin or user.is_firm_admin):
        return HttpResponse(status=403)
    form = InvitationForm(request.POST or None, firm_only=firm_only)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        accept_url = request.build_absolute_uri(
            reverse("accounts:invitation_accept", args=["TOKEN"])
        ).replace("TOKEN", "{token}")
        try:
            services.invitation_send(
                actor=user,
                email=data["email"],
                role=data["role"],
                firm=data["firm"],
                is_firm_admin=data["is_firm_admin"],
                accept_url=accept_url,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Invitation sent to {data['email']}.")
            return redirect("portal:team" if firm_only else "accounts:user_list")
    template = "accounts/invite_firm.html" if firm_only else "accounts/invite.html"
    return render(request, template, {"form": form})


@require_POST
def invitation_revoke_view(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    invitation = get_object_or_404(selectors.invitation_list(user=user), pk=pk)
    services.invitation_revoke(actor=user, invitation=invitation)
    messages.success(request, f"Invitation for {invitation.email} revoked.")
    return redirect("portal:team" if user.role == Role.FIRM else "accounts:user_list")


# --- User administration ----------------------------------------------------------------------

USER_SORTS = {
    "username": "username",
    "name": "last_name",
    "role": "role",
    "email": "email",
    "joined": "date_joined",
    "last_login": "last_login",
}


@capability_required(Capability.MANAGE_USERS)
def user_list_view(request: AuthedRequest) -> HttpResponse:
    users = selectors.user_list(
        user=request.user,
        search=request.GET.get("q", ""),
        role=request.GET.get("role", ""),
    )
    status = request.GET.get("status", "")
    if status in {"active", "inactive"}:
        users = users.filter(is_active=status == "active")
    context = {
        "listing": listing(request, users, sorts=USER_SORTS, default="username"),
        "roles": Role.choices,
        "invitations": selectors.invitation_list(user=request.user).filter(
            accepted_at__isnull=True, revoked_at__isnull=True
        )[:50],
    }
    template = template_for(request, "accounts/user_list.html")
    return render(request, template, context)


@capability_required(Capability.MANAGE_USERS)
def user_detail_view(request: AuthedRequest, pk: int) -> HttpResponse:
    actor = request.user
    subject = get_object_or_404(selectors.user_list(user=actor), pk=pk)
    form = UserEditForm(
        request.POST or None,
        initial={
            "first_name": subject.first_name,
            "last_name": subject.last_name,
            "email": subject.email,
            "role": subject.role,
            "firm": subject.firm,
            "is_firm_admin": subject.is_firm_admin,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update(actor=actor, user=subject, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{subject.username} saved.")
            return redirect("accounts:user_detail", pk=subject.pk)
    return render(
        request,
        "accounts/user_detail.html",
        {
            "subject": subject,
            "form": form,
            "reason_form": ReasonForm(),
            "two_factor": services.two_factor_enabled(subject),
            "tokens": subject.api_tokens.all(),
        },
    )


@require_POST
@capability_required(Capability.MANAGE_USERS)
def user_status_view(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    actor = request.user
    subject = get_object_or_404(selectors.user_list(user=actor), pk=pk)
    reason = ReasonForm(request.POST).data.get("reason", "")
    actions = {
        "deactivate": services.user_deactivate,
        "reactivate": services.user_reactivate,
        "reset-two-factor": services.two_factor_disable,
    }
    if action not in actions:
        return HttpResponse(status=404)
    try:
        actions[action](actor=actor, user=subject, reason=reason)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{subject.username}: {action.replace('-', ' ')} done.")
    return redirect("accounts:user_detail", pk=subject.pk)
