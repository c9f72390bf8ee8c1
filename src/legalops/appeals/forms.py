from __future__ import annotations

from typing import Any

from django import forms

from legalops.appeals.models import Decision
from legalops.appeals.services import ItemSpec
from legalops.invoices.models import InvoiceLine


class AppealForm(forms.Form):
    """One reason (and optionally the amount asked back) per adjusted line; lines left without
    a reason are not appealed."""

    note = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), label="Covering note"
    )

    def __init__(self, *args: Any, lines: list[InvoiceLine], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lines = lines
        for line in lines:
            why = f"Why line {line.line_item_number} should be paid"
            self.fields[f"reason_{line.pk}"] = forms.CharField(
                required=False,
                widget=forms.Textarea(attrs={"rows": 2, "aria-label": why}),
                label=why,
            )
            self.fields[f"amount_{line.pk}"] = forms.DecimalField(
                required=False,
                min_value=0,
                max_digits=16,
                decimal_places=4,
                label=f"Amount asked back on line {line.line_item_number}",
            )
            self.fields[f"amount_{line.pk}"].widget.attrs["aria-label"] = self.fields[
                f"amount_{line.pk}"
            ].label

    def rows(self) -> list[dict[str, Any]]:
        return [
            {"line": line, "reason": self[f"reason_{line.pk}"], "amount": self[f"amount_{line.pk}"]}
            for line in self.lines
        ]

    def items(self) -> list[ItemSpec]:
        data = self.cleaned_data
        return [
            ItemSpec(
                line=line, reason=data[f"reason_{line.pk}"], requested=data[f"amount_{line.pk}"]
            )
            for line in self.lines
            if data[f"reason_{line.pk}"].strip()
        ]


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[c for c in Decision.choices if c[0] != Decision.PENDING], widget=forms.RadioSelect
    )
    amount = forms.DecimalField(
        required=False,
        min_value=0,
        max_digits=16,
        decimal_places=4,
        help_text="for a partial reinstatement",
    )
    comment = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text="the firm sees it"
    )


class PolicyForm(forms.Form):
    deadline_days = forms.IntegerField(
        min_value=1, max_value=3650, label="Firms may appeal for (days after the approval)"
    )
