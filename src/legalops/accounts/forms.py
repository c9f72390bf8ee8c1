"""Input forms: they validate shape only; decisions live in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm

from legalops.accounts.models import Role
from legalops.vendors.models import LawFirm


class LoginForm(forms.Form):
    username = forms.CharField(
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        max_length=20,
        label="Authentication code",
        help_text="The 6-digit code from your authenticator app, or one of your recovery codes.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "inputmode": "numeric"}
        ),
    )


class EnrolForm(forms.Form):
    code = forms.CharField(
        max_length=10,
        label="Code from your app",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "inputmode": "numeric"}
        ),
    )


class InvitationForm(forms.Form):
    email = forms.EmailField()
    role = forms.ChoiceField(choices=Role.choices)
    firm = forms.ModelChoiceField(queryset=LawFirm.objects.all(), required=False)
    is_firm_admin = forms.BooleanField(required=False, label="May invite colleagues of the firm")

    def __init__(self, *args: Any, firm_only: LawFirm | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if firm_only is not None:
            # A firm's administrator invites colleagues of that firm only.
            role_field = self.fields["role"]
            firm_field = self.fields["firm"]
            assert isinstance(role_field, forms.ChoiceField)
            assert isinstance(firm_field, forms.ModelChoiceField)
            role_field.choices = [(Role.FIRM.value, Role.FIRM.label)]
            firm_field.queryset = LawFirm.objects.filter(pk=firm_only.pk)
            self.fields["firm"].initial = firm_only
            self.fields["firm"].widget = forms.HiddenInput()


class AcceptInvitationForm(forms.Form):
    username = forms.CharField(max_length=150)
    first_name = forms.CharField(max_length=150, required=False)
    last_name = forms.CharField(max_length=150, required=False)
    password1 = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label="Password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password1") != data.get("password2"):
            self.add_error("password2", "the two passwords differ")
        return data


class UserEditForm(forms.Form):
    first_name = forms.CharField(max_length=150, required=False)
    last_name = forms.CharField(max_length=150, required=False)
    email = forms.EmailField(required=False)
    role = forms.ChoiceField(choices=Role.choices)
    firm = forms.ModelChoiceField(queryset=LawFirm.objects.all(), required=False)
    is_firm_admin = forms.BooleanField(required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(max_length=500, required=False, widget=forms.TextInput())


class TokenForm(forms.Form):
    name = forms.CharField(max_length=100, initial="API token")


class AuditedSetPasswordForm(SetPasswordForm):
    """Django's reset/change form, saving through our service so the change is audited."""

    audit_event: Any = None

    def save(self, commit: bool = True) -> Any:
        from legalops.accounts.services import user_password_set
        from legalops.audit.events import Event

        return user_password_set(
            actor=self.user,
            user=self.user,
            password=self.cleaned_data["new_password1"],
            event=self.audit_event or Event.USER_PASSWORD_RESET,
        )


class AuditedPasswordChangeForm(PasswordChangeForm):
    """The signed-in user's own change (old password checked by Django), audited."""

    def save(self, commit: bool = True) -> Any:
        from legalops.accounts.services import user_password_set
        from legalops.audit.events import Event

        return user_password_set(
            actor=self.user,
            user=self.user,
            password=self.cleaned_data["new_password1"],
            event=Event.USER_PASSWORD_CHANGED,
        )
