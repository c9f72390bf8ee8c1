"""The new-backtest form: a stored guidelines version (drafts included), a period, and
optionally one firm or one matter."""

from __future__ import annotations

from typing import Any

from django import forms

from legalops.invoices.models import GuidelinesVersion
from legalops.matters.models import Matter
from legalops.vendors.models import LawFirm


class VersionChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} {obj.version} ({obj.status}, effective {obj.effective})"


class BacktestForm(forms.Form):
    version = VersionChoice(
        queryset=GuidelinesVersion.objects.order_by("-created_at", "-pk"),
        label="Guidelines version",
        help_text="A draft or a published version; it is replayed, never applied.",
    )
    period_from = forms.DateField(
        label="Invoices dated from", widget=forms.DateInput(attrs={"type": "date"})
    )
    period_to = forms.DateField(
        label="Invoices dated to", widget=forms.DateInput(attrs={"type": "date"})
    )
    firm = forms.ModelChoiceField(
        queryset=LawFirm.objects.order_by("name"), required=False, label="Only this firm"
    )
    matter = forms.ModelChoiceField(
        queryset=Matter.objects.order_by("number"), required=False, label="Only this matter"
    )
