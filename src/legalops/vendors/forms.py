from __future__ import annotations

from typing import Any

from django import forms

from legalops.organization.forms import _currency_choices
from legalops.vendors.models import (
    CLASSIFICATIONS,
    ContactRole,
    LawFirm,
    PanelStatus,
    Timekeeper,
    VendorType,
)

CLASSIFICATION_CHOICES = [(code, f"{code} · {name}") for code, name in CLASSIFICATIONS.items()]
DATE = forms.DateInput(attrs={"type": "date"})


def _split(raw: str) -> list[str]:
    return [a.strip() for a in (raw or "").split(";") if a.strip()]


class LawFirmForm(forms.Form):
    law_firm_id = forms.CharField(
        max_length=64, label="LAW_FIRM_ID", help_text="The id the firm puts on its LEDES invoices."
    )
    name = forms.CharField(max_length=200)
    vendor_type = forms.ChoiceField(
        choices=VendorType.choices, initial=VendorType.LAW_FIRM, required=False
    )
    aliases = forms.CharField(required=False, help_text="Other names or ids, separated by ;")
    status = forms.ChoiceField(choices=PanelStatus.choices)
    tax_id = forms.CharField(max_length=64, required=False)
    currency = forms.ChoiceField(choices=_currency_choices, initial="USD")
    payment_terms_days = forms.IntegerField(min_value=0, max_value=365, initial=30)
    relationship_partner = forms.CharField(max_length=200, required=False)
    diversity_certifications = forms.CharField(
        required=False, help_text="e.g. WBENC; MBE; NGLCC — separated by ;"
    )
    rate_increase_cap_pct = forms.DecimalField(
        label="Rate increase cap (% a year)",
        max_digits=6,
        decimal_places=2,
        initial=5,
        required=False,
    )
    rate_freeze_until = forms.DateField(required=False, widget=DATE)
    rate_notice_days = forms.IntegerField(
        label="Notice for new rates (days)", min_value=0, max_value=365, initial=60, required=False
    )
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def clean_aliases(self) -> list[str]:
        return _split(self.cleaned_data.get("aliases") or "")

    def clean(self) -> dict[str, Any]:
        """Fields left empty keep the model's defaults (a short form still adds a firm)."""
        data = super().clean() or {}
        defaults = {
            "vendor_type": VendorType.LAW_FIRM,
            "rate_increase_cap_pct": LawFirm._meta.get_field("rate_increase_cap_pct").default,
            "rate_notice_days": LawFirm._meta.get_field("rate_notice_days").default,
        }
        for name, default in defaults.items():
            if data.get(name) in (None, ""):
                data[name] = default
        return data

    def clean_diversity_certifications(self) -> list[str]:
        return _split(self.cleaned_data.get("diversity_certifications") or "")

    @classmethod
    def initial_from(cls, firm: LawFirm) -> dict[str, Any]:
        initial = {name: getattr(firm, name) for name in cls.base_fields}
        initial["aliases"] = "; ".join(firm.aliases)
        initial["diversity_certifications"] = "; ".join(firm.diversity_certifications)
        return initial


class ContactForm(forms.Form):
    name = forms.CharField(max_length=200)
    email = forms.EmailField(required=False)
    phone = forms.CharField(max_length=64, required=False)
    role = forms.ChoiceField(choices=ContactRole.choices)


class DocumentForm(forms.Form):
    title = forms.CharField(max_length=200, required=False)
    file = forms.FileField()


class TimekeeperForm(forms.Form):
    timekeeper_id = forms.CharField(max_length=20, label="TIMEKEEPER_ID")
    name = forms.CharField(max_length=200, help_text="As on invoices: Last, First")
    classification = forms.ChoiceField(choices=CLASSIFICATION_CHOICES)
    bar_admission_year = forms.IntegerField(required=False, min_value=1900, max_value=2100)
    office = forms.CharField(max_length=100, required=False)
    diversity = forms.CharField(
        required=False,
        label="Diversity (self-reported, optional)",
        help_text="Attributes the timekeeper chose to report, separated by ;",
    )
    is_active = forms.BooleanField(required=False, initial=True)

    def clean_diversity(self) -> list[str]:
        return _split(self.cleaned_data.get("diversity") or "")

    @classmethod
    def initial_from(cls, keeper: Timekeeper) -> dict[str, Any]:
        initial = {name: getattr(keeper, name) for name in cls.base_fields}
        initial["diversity"] = "; ".join(keeper.diversity)
        return initial


class RateForm(forms.Form):
    timekeeper = forms.ModelChoiceField(
        queryset=Timekeeper.objects.none(), required=False, help_text="Empty: a classification rate"
    )
    classification = forms.ChoiceField(choices=[("", "—"), *CLASSIFICATION_CHOICES], required=False)
    rate = forms.DecimalField(max_digits=14, decimal_places=4, min_value=0)
    effective_from = forms.DateField(widget=DATE)
    effective_to = forms.DateField(required=False, widget=DATE, help_text="Inclusive; empty = open")

    def __init__(self, *args: Any, firm: LawFirm, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["timekeeper"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = firm.timekeepers.filter(is_active=True)


class RequestForm(forms.Form):
    fiscal_year = forms.IntegerField(min_value=2000, max_value=2200)
    effective_from = forms.DateField(
        required=False, widget=DATE, help_text="Empty: the first day of the fiscal year"
    )
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RequestLineForm(forms.Form):
    timekeeper = forms.ModelChoiceField(queryset=Timekeeper.objects.none(), required=False)
    classification = forms.ChoiceField(
        choices=[("", "—"), *CLASSIFICATION_CHOICES],
        required=False,
        help_text="Only for a rate of a whole classification",
    )
    requested_rate = forms.DecimalField(max_digits=14, decimal_places=4, min_value=0)
    firm_comment = forms.CharField(required=False, label="Justification")

    def __init__(self, *args: Any, firm: LawFirm, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["timekeeper"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = firm.timekeepers.filter(is_active=True)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", "Approve"), ("counter", "Counter-offer"), ("reject", "Reject")]
    )
    counter_rate = forms.DecimalField(max_digits=14, decimal_places=4, required=False)
    comment = forms.CharField(required=False)


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(choices=[("accept", "Accept"), ("reply", "Reply with a rate")])
    rate = forms.DecimalField(max_digits=14, decimal_places=4, required=False)
    comment = forms.CharField(required=False)


SCORE = forms.TypedChoiceField(coerce=int, choices=[(i, str(i)) for i in range(1, 6)])


class EvaluationForm(forms.Form):
    period = forms.CharField(max_length=32, help_text="e.g. 2026 or 2026-H1")
    matter: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=Timekeeper.objects.none(), required=False
    )
    quality = SCORE
    responsiveness = SCORE
    budget_accuracy = SCORE
    value = SCORE
    comments = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, matters: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["matter"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = matters
