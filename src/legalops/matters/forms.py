from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from legalops.accounts.models import Role, User
from legalops.matters.custom_fields import field_list
from legalops.matters.models import (
    PHASES,
    CodeSet,
    FeeArrangement,
    FirmRole,
    Granularity,
    LossProbability,
    Matter,
    MatterField,
    MatterStatus,
    RiskRating,
)
from legalops.matters.types import matter_type_choices
from legalops.organization.forms import _currency_choices
from legalops.organization.models import BusinessUnit, PracticeArea
from legalops.vendors.models import LawFirm

DATE = forms.DateInput(attrs={"type": "date"})


def money_field(label: str) -> forms.DecimalField:
    """An optional amount with up to 4 places (rounded to the currency by the service)."""
    return forms.DecimalField(label=label, max_digits=16, decimal_places=4, required=False)


def _attorneys() -> Any:
    return User.objects.filter(role__in=(Role.ADMIN, Role.ATTORNEY), is_active=True).order_by(
        "last_name", "username"
    )


CUSTOM_PREFIX = "cf_"


def custom_form_field(custom: MatterField) -> forms.Field:
    label = custom.label + (f" ({custom.matter_type} matters)" if custom.matter_type else "")
    common: dict[str, Any] = {"label": label, "required": False}
    if custom.required:
        common["help_text"] = "Required" + (
            f" for {custom.matter_type}" if custom.matter_type else ""
        )
    kind = custom.kind
    if kind == MatterField.Kind.NUMBER:
        return forms.DecimalField(**common)
    if kind == MatterField.Kind.DATE:
        return forms.DateField(widget=DATE, **common)
    if kind == MatterField.Kind.CHOICE:
        return forms.ChoiceField(choices=[("", "—"), *((c, c) for c in custom.choices)], **common)
    if kind == MatterField.Kind.BOOLEAN:
        return forms.BooleanField(**common)
    return forms.CharField(max_length=500, **common)


class MatterForm(forms.Form):
    number = forms.CharField(max_length=20, label="Matter number (CLIENT_MATTER_ID)")
    name = forms.CharField(max_length=200)
    matter_type = forms.ChoiceField(choices=matter_type_choices)
    practice_area = forms.ModelChoiceField(
        PracticeArea.objects.filter(is_active=True), required=False
    )
    business_unit = forms.ModelChoiceField(
        BusinessUnit.objects.filter(is_active=True), required=False
    )
    opened_on = forms.DateField(widget=DATE)
    lead_attorney: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=User.objects.none(), required=False
    )
    confidential = forms.BooleanField(
        required=False, help_text="Visible only to its team and legal ops"
    )
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    code_set = forms.ChoiceField(choices=CodeSet.choices, required=False)
    gl_code = forms.CharField(max_length=32, required=False, label="GL code")
    currency = forms.ChoiceField(choices=_currency_choices, initial="USD")
    risk_rating = forms.ChoiceField(choices=[("", "—"), *RiskRating.choices], required=False)
    loss_probability = forms.ChoiceField(
        choices=[("", "—"), *LossProbability.choices], required=False, label="ASC 450 probability"
    )
    exposure = money_field("Exposure")
    reserve = money_field("Reserve")
    outcome = forms.CharField(max_length=200, required=False)
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["lead_attorney"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = _attorneys()
        # Every active custom field is on the form; the service keeps and requires only those
        # of the type chosen (the label says which type a field is for).
        for custom in field_list():
            self.fields[CUSTOM_PREFIX + custom.key] = custom_form_field(custom)

    def service_fields(self) -> dict[str, Any]:
        """The cleaned data as the services take it (money in minor units, custom fields in
        one dict)."""
        from legalops.matters.services import amount_minor

        data = dict(self.cleaned_data)
        code = data["currency"]
        data["exposure_minor"] = amount_minor(data.pop("exposure"), code, "exposure")
        data["reserve_minor"] = amount_minor(data.pop("reserve"), code, "reserve")
        data["custom_fields"] = {
            name[len(CUSTOM_PREFIX) :]: data.pop(name)
            for name in list(data)
            if name.startswith(CUSTOM_PREFIX)
        }
        return data

    @classmethod
    def initial_from(cls, matter: Matter) -> dict[str, Any]:
        from legalops.core.money import from_minor

        initial = {n: getattr(matter, n) for n in cls.base_fields if hasattr(matter, n)}
        for name in ("exposure", "reserve"):
            minor = getattr(matter, f"{name}_minor")
            initial[name] = from_minor(minor, matter.currency) if minor is not None else None
        for key, value in matter.custom_fields.items():
            initial[CUSTOM_PREFIX + key] = value
        return initial


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=MatterStatus.choices)
    on = forms.DateField(required=False, widget=DATE)
    outcome = forms.CharField(max_length=200, required=False)


class TeamForm(forms.Form):
    members: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["members"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = User.objects.filter(
            role__in=(Role.ADMIN, Role.ATTORNEY, Role.APPROVER), is_active=True
        ).order_by("username")


class AssignForm(forms.Form):
    firm = forms.ModelChoiceField(LawFirm.objects.exclude(status="inactive"))
    role = forms.ChoiceField(choices=FirmRole.choices)
    fee_arrangement = forms.ChoiceField(choices=FeeArrangement.choices)
    fee_amount = money_field("Cap or fixed fee")
    blended_rate = forms.DecimalField(max_digits=14, decimal_places=4, required=False)
    engaged_on = forms.DateField(required=False, widget=DATE)


class KeyDateForm(forms.Form):
    date = forms.DateField(widget=DATE)
    label = forms.CharField(max_length=200)


class TaskForm(forms.Form):
    title = forms.CharField(max_length=200)
    due_on = forms.DateField(required=False, widget=DATE)


class NoteForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))


class DocumentForm(forms.Form):
    title = forms.CharField(max_length=200, required=False)
    file = forms.FileField()


class BudgetForm(forms.Form):
    """An amount for the whole matter, or one per phase of the matter's code set."""

    fiscal_year = forms.IntegerField(min_value=2000, max_value=2200)
    whole = money_field("Whole matter")
    note = forms.CharField(required=False)

    def __init__(self, *args: Any, matter: Matter, firms: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if firms is not None:
            self.fields["firm"] = forms.ModelChoiceField(firms)
        for code, label in PHASES.get(matter.code_set, {}).items():
            self.fields[f"phase_{code}"] = money_field(f"{code} {label}")

    def amounts(self) -> dict[str, Decimal]:
        data = self.cleaned_data
        phases = {
            name.removeprefix("phase_"): value
            for name, value in data.items()
            if name.startswith("phase_") and value is not None
        }
        if data.get("whole") is not None:
            phases[""] = data["whole"]
        return phases


class ForecastForm(forms.Form):
    granularity = forms.ChoiceField(choices=Granularity.choices)
    period_start = forms.DateField(widget=DATE, help_text="Any day of the month or quarter start")
    amount = forms.DecimalField(max_digits=16, decimal_places=4, min_value=0)


class DepartmentBudgetForm(forms.Form):
    fiscal_year = forms.IntegerField(min_value=2000, max_value=2200)
    practice_area = forms.ModelChoiceField(PracticeArea.objects.all(), required=False)
    business_unit = forms.ModelChoiceField(BusinessUnit.objects.all(), required=False)
    amount = forms.DecimalField(max_digits=16, decimal_places=4, min_value=0)


class PeriodForm(forms.Form):
    month = forms.DateField(widget=DATE, help_text="Any day of the month accrued")
    deadline = forms.DateField(required=False, widget=DATE)


class MatterTypeForm(forms.Form):
    code = forms.SlugField(max_length=16, help_text="Stored on matters; cannot change later.")
    name = forms.CharField(max_length=100)
    order = forms.IntegerField(min_value=0, initial=100, help_text="Lower comes first.")
    active = forms.BooleanField(required=False, initial=True, help_text="Offered for matters.")


class MatterFieldForm(forms.Form):
    key = forms.SlugField(max_length=40, help_text="Stored on matters; cannot change later.")
    label = forms.CharField(max_length=100)
    kind = forms.ChoiceField(choices=MatterField.Kind.choices, label="Type")
    choices = forms.CharField(
        required=False, help_text="For a choice: the options, separated by ;", label="Options"
    )
    matter_type = forms.ChoiceField(choices=(), required=False, label="Only for matters of type")
    required = forms.BooleanField(required=False)
    order = forms.IntegerField(min_value=0, initial=100)
    active = forms.BooleanField(required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["matter_type"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "every matter"), *matter_type_choices(inactive=True)]

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["choices"] = [c for c in (data.get("choices") or "").split(";") if c.strip()]
        return data
