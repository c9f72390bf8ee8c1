"""Forms of the spend pages: input parsing only (the services decide)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile

from legalops.invoices.bulk import ACTIONS
from legalops.invoices.workspace import reason_codes


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)]


class UploadForm(forms.Form):
    ledes_files = MultipleFileField(
        label="LEDES files",
        help_text="LEDES 1998B, 98BI or XML 2.x; several files at once. Each file is taken whole "
        "or not at all.",
    )
    create_missing = forms.BooleanField(
        required=False,
        label="Create missing firms, matters and timekeepers",
        help_text="Like `legalops import ledes --create-missing`: unknown LAW_FIRM_IDs and "
        "CLIENT_MATTER_IDs become new firms and matters instead of refusing the file.",
    )


class ReasonChoiceField(forms.ChoiceField):
    """The active reason codes, read when the form is built (admins add their own)."""

    def __init__(self, *args: Any, blank: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.blank = blank

    def refresh(self) -> None:
        self.choices = ([("", "—")] if self.blank else []) + reason_codes()


class ReasonForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, ReasonChoiceField):
                field.refresh()


class FlagDecisionForm(ReasonForm):
    decision = forms.ChoiceField(choices=[("accept", "Accept"), ("override", "Override")])
    reason_code = ReasonChoiceField(required=False, blank=True, label="Reason")
    comment = forms.CharField(required=False, max_length=2000)


class AdjustmentForm(ReasonForm):
    approved = forms.DecimalField(
        label="Approve", min_value=0, max_digits=18, decimal_places=4, help_text="new amount"
    )
    reason_code = ReasonChoiceField(label="Reason")
    comment = forms.CharField(required=False, max_length=2000)


class CommentForm(forms.Form):
    comment = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class RejectForm(ReasonForm):
    reason_code = ReasonChoiceField(label="Reason")
    comment = forms.CharField(
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Sent to the firm with the rejection.",
    )


def _values(data: Any, key: str) -> list[str]:
    return list(data.getlist(key)) if hasattr(data, "getlist") else []


class BulkForm(forms.Form):
    action = forms.ChoiceField(choices=[(key, spec[0]) for key, spec in ACTIONS.items()])
    invoice = forms.TypedMultipleChoiceField(coerce=int, choices=[], label="Invoices")
    comment = forms.CharField(required=False, max_length=2000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The pks are checked against the user's visible invoices by the view.
        field = self.fields["invoice"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = [(v, v) for v in _values(self.data, "invoice")]
