from __future__ import annotations

from django import forms

from legalops.core.money import currencies
from legalops.organization.models import BusinessUnit

MONTHS = [
    (i, m)
    for i, m in enumerate(
        [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ],
        start=1,
    )
]


def _currency_choices() -> list[tuple[str, str]]:
    return [(c.code, f"{c.code} - {c.name}") for c in currencies().values()]


class CompanyForm(forms.Form):
    name = forms.CharField(max_length=200)
    legal_name = forms.CharField(max_length=200, required=False)
    reporting_currency = forms.ChoiceField(choices=_currency_choices)
    fiscal_year_start_month = forms.TypedChoiceField(
        choices=MONTHS, coerce=int, label="Fiscal year starts in"
    )
    country = forms.CharField(max_length=2, required=False, label="Country (ISO code)")


class BusinessUnitForm(forms.Form):
    code = forms.CharField(max_length=32)
    name = forms.CharField(max_length=200)
    parent = forms.ModelChoiceField(queryset=BusinessUnit.objects.all(), required=False)
    is_active = forms.BooleanField(required=False, initial=True, label="Active")


class PracticeAreaForm(forms.Form):
    code = forms.CharField(max_length=32)
    name = forms.CharField(max_length=200)
    is_active = forms.BooleanField(required=False, initial=True, label="Active")


class CurrencyForm(forms.Form):
    code = forms.ChoiceField(choices=_currency_choices, label="Currency")


class FxRateForm(forms.Form):
    base = forms.ChoiceField(choices=_currency_choices)
    quote = forms.ChoiceField(choices=_currency_choices)
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    rate = forms.DecimalField(max_digits=20, decimal_places=8, min_value=0)
    source = forms.CharField(max_length=100, required=False)
