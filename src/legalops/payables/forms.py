from __future__ import annotations

from typing import Any

from django import forms

from legalops.payables.layout import FIELDS
from legalops.payables.models import DateFormat

DATE = forms.DateInput(attrs={"type": "date"})


class LayoutForm(forms.Form):
    """Per field: include it, its position and its header."""

    date_format = forms.ChoiceField(choices=DateFormat.choices)

    def __init__(self, *args: Any, columns: list[list[str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        chosen = {key: (n, header) for n, (key, header) in enumerate(columns or [], start=1)}
        for field in FIELDS:
            order, header = chosen.get(field.key, (None, field.header))
            self.fields[f"use_{field.key}"] = forms.BooleanField(
                required=False, initial=field.key in chosen, label=field.key
            )
            self.fields[f"order_{field.key}"] = forms.IntegerField(
                required=False, min_value=1, max_value=99, initial=order
            )
            self.fields[f"header_{field.key}"] = forms.CharField(
                required=False, max_length=60, initial=header
            )

    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "field": f,
                "use": self[f"use_{f.key}"],
                "order": self[f"order_{f.key}"],
                "header": self[f"header_{f.key}"],
            }
            for f in FIELDS
        ]

    def columns(self) -> list[tuple[str, str]]:
        """The ticked fields by their order (unnumbered ones last, in the list's order)."""
        data = self.cleaned_data
        ticked = [
            (data[f"order_{f.key}"] or 100, n, f.key, data[f"header_{f.key}"])
            for n, f in enumerate(FIELDS)
            if data[f"use_{f.key}"]
        ]
        return [(key, header) for _, _, key, header in sorted(ticked)]


class PaymentForm(forms.Form):
    law_firm_id = forms.CharField(max_length=64, label="Firm (LAW_FIRM_ID)")
    invoice_number = forms.CharField(max_length=64)
    paid_date = forms.DateField(widget=DATE)
    amount = forms.DecimalField(
        max_digits=16, decimal_places=4, required=False, help_text="empty = all outstanding"
    )
    reference = forms.CharField(max_length=100, required=False)
