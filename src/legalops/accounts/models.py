"""Users, their roles, API tokens, invitations and two-factor devices."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone


class Role(models.TextChoices):
    """The five roles of DESIGN.md. "Reviewer" means an admin or the matter's attorney."""

    ADMIN = "admin", "Legal operations (admin)"
    ATTORNEY = "attorney", "In-house attorney"
    APPROVER = "approver", "Approver (finance / management)"
    REQUESTER = "requester", "Business requester"
    FIRM = "firm", "Law firm (outside counsel)"


class User(AbstractUser):
    """A person who signs in. Firm users belong to exactly one law firm and see only its data;
    a firm user with `is_firm_admin` may invite colleagues of the same firm."""

    role = models.CharField(max_length=16, choices=Role.choices, default=Role.REQUESTER)
    firm = models.ForeignKey(
        "vendors.LawFirm", null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    is_firm_admin = models.BooleanField(default=False)
    deactivated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="firm_user_has_firm",
                condition=(
                    models.Q(role="firm", firm__isnull=False)
                    | (~models.Q(role="firm") & models.Q(firm__isnull=True))
                ),
            )
        ]

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_firm_user(self) -> bool:
        return self.role == Role.FIRM

    @property
    def requires_two_factor(self) -> bool:
        """Required for firm users (they reach us from outside); optional for staff."""
        return self.role == Role.FIRM

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


class ApiToken(models.Model):
    """A per-user API token. Only its SHA-256 is stored; the token is shown once at creation."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12, help_text="First characters, to recognise a token.")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class Invitation(models.Model):
    """An emailed invitation to join with a given role (and firm, for firm users)."""

    email = models.EmailField()
    role = models.CharField(max_length=16, choices=Role.choices)
    firm = models.ForeignKey(
        "vendors.LawFirm",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    is_firm_admin = models.BooleanField(default=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"invitation for {self.email} ({self.role})"

    @property
    def is_open(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )


class TwoFactorDevice(models.Model):
    """A TOTP authenticator (RFC 6238). `confirmed_at` is set once the user proved a code;
    `last_step` rejects a code's reuse within its time window."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="two_factor"
    )
    secret = models.CharField(max_length=64)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    last_step = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"authenticator of {self.user}"


class RecoveryCode(models.Model):
    """A one-time code for signing in without the authenticator; stored hashed."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recovery_codes"
    )
    digest = models.CharField(max_length=64)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"recovery code of {self.user}"


class LoginFailure(models.Model):
    """A failed sign-in (password or second factor), for throttling."""

    username = models.CharField(max_length=150, db_index=True)
    address = models.CharField(max_length=64, db_index=True)
    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"failed login for {self.username} from {self.address}"
