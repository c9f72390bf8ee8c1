from __future__ import annotations

from typing import Any

from django import forms

from legalops.organization.forms import _currency_choices
from legalops.vendors.models import PanelStatus


class LawFirmForm(forms.Form):
    law_firm_id = forms.CharField(
        max_length=64, label="LAW_FIRM_ID", help_text="The id the firm puts on its LEDES invoices."
    )
    name = forms.CharField(max_length=200)
    aliases = forms.CharField(required=False, help_text="Other names or ids, separated by ;")
    status = forms.ChoiceField(choices=PanelStatus.choices)
    currency = forms.ChoiceField(choices=_currency_choices, initial="USD")
    payment_terms_days = forms.IntegerField(min_value=0, max_value=365, initial=30)

    def clean_aliases(self) -> list[str]:
        raw: str = self.cleaned_data.get("aliases") or ""
        return [a.strip() for a in raw.split(";") if a.strip()]

    @classmethod
    def initial_from(cls, firm: Any) -> dict[str, Any]:
        return {
            "law_firm_id": firm.law_firm_id,
            "name": firm.name,
            "aliases": "; ".join(firm.aliases),
            "status": firm.status,
            "currency": firm.currency,
            "payment_terms_days": firm.payment_terms_days,
        }
