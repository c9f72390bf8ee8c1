"""The portal's invoice forms: a LEDES upload, and invoice entry for firms without LEDES
(header, lines with UTBMS codes, the PDF and receipts). Input parsing only: the invoice is
written by `invoices.form_entry` through the one intake service."""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.forms.utils import pretty_name

from legalops import ledes
from legalops.invoices.documents import Document
from legalops.invoices.form_entry import MAX_LINES, EntryInvoice, EntryLine
from legalops.matters.models import Matter, MatterStatus
from legalops.matters.selectors import matter_list
from legalops.vendors.models import LawFirm, Timekeeper

DATE = forms.DateInput(attrs={"type": "date"})
TASK_SETS = ("litigation", "counseling", "project", "bankruptcy")


@cache
def _code_choices(sets: tuple[str, ...]) -> list[Any]:
    """UTBMS codes grouped by code set, for a select."""
    found = ledes.utbms_sets()
    groups: list[Any] = [("", "—")]
    for key in sets:
        codes = found.get(key, ())
        groups.append((key.title(), [(c.code, f"{c.code} {c.name}") for c in codes]))
    return groups


class LedesUploadForm(forms.Form):
    file = forms.FileField(
        label="LEDES file",
        help_text="LEDES 1998B, 98BI or XML 2.x, as your billing system writes it.",
    )


class MatterField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.number} · {obj.name}"


class EntryHeaderForm(forms.Form):
    matter = MatterField(queryset=Matter.objects.none())
    invoice_number = forms.CharField(max_length=64)
    invoice_date = forms.DateField(widget=DATE)
    billing_start = forms.DateField(widget=DATE, label="Billing period from")
    billing_end = forms.DateField(widget=DATE, label="Billing period to")
    client_id = forms.CharField(max_length=20, label="Your client number for us")
    law_firm_matter_id = forms.CharField(max_length=20, label="Your matter number")
    description = forms.CharField(max_length=200, label="Description", initial="Legal services")
    pdf = forms.FileField(
        required=False,
        label="Invoice PDF",
        help_text="Your invoice as a PDF: required to submit, not to check.",
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["matter"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = (
            matter_list(user=user).exclude(status=MatterStatus.CLOSED).order_by("number")
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("billing_start"), data.get("billing_end")
        if start and end and start > end:
            self.add_error("billing_end", "the period ends before it starts")
        return data


class EntryLineForm(forms.Form):
    kind = forms.ChoiceField(choices=[("F", "Fee"), ("E", "Expense")], initial="F", label="Type")
    date = forms.DateField(widget=DATE)
    timekeeper = forms.ModelChoiceField(queryset=Timekeeper.objects.none(), required=False)
    task_code = forms.ChoiceField(required=False, label="Task")
    activity_code = forms.ChoiceField(required=False, label="Activity")
    expense_code = forms.ChoiceField(required=False, label="Expense code")
    units = forms.DecimalField(
        min_value=Decimal("0.01"), max_digits=10, decimal_places=2, label="Hours or quantity"
    )
    rate = forms.DecimalField(
        min_value=Decimal(0), max_digits=14, decimal_places=2, label="Rate or unit cost"
    )
    narrative = forms.CharField(max_length=2000, widget=forms.TextInput(attrs={"class": "wide"}))
    receipt = forms.FileField(required=False, help_text="PDF, PNG or JPEG")

    def __init__(self, *args: Any, firm: LawFirm, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        keeper = self.fields["timekeeper"]
        assert isinstance(keeper, forms.ModelChoiceField)
        keeper.queryset = firm.timekeepers.filter(is_active=True).order_by("name")
        for name, sets in (
            ("task_code", TASK_SETS),
            ("activity_code", ("activity",)),
            ("expense_code", ("expense",)),
        ):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = _code_choices(sets)
        # Rows have no visible labels (a table): name each input with its line.
        index = (self.prefix or "").rsplit("-", 1)[-1]
        number = str(int(index) + 1) if index.isdigit() else "__number__"
        for name, field in self.fields.items():
            label = field.label or pretty_name(name)
            field.widget.attrs["aria-label"] = f"{label}, line {number}"

    def clean(self) -> dict[str, Any]:
        """The codes and timekeeper a fee or an expense line needs in LEDES."""
        data = super().clean() or {}
        if data.get("kind") == "F":
            for name in ("timekeeper", "task_code", "activity_code"):
                if not data.get(name):
                    self.add_error(name, "a fee line needs this")
            if data.get("receipt"):
                self.add_error("receipt", "receipts go with expense lines")
        elif data.get("kind") == "E" and not data.get("expense_code"):
            self.add_error("expense_code", "an expense line needs an expense code")
        return data


class BaseLineFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        super().clean()
        if not any(form.has_changed() for form in self.forms):
            raise forms.ValidationError("add at least one line")


LineFormSet = forms.formset_factory(
    EntryLineForm, formset=BaseLineFormSet, extra=3, max_num=MAX_LINES, validate_max=True
)


def _document(upload: UploadedFile | None) -> Document | None:
    if upload is None:
        return None
    return Document(upload.name or "document", upload.read())


def entry_of(header: EntryHeaderForm, lines: Any) -> EntryInvoice:
    """The form's invoice (both forms valid)."""
    data = header.cleaned_data
    return EntryInvoice(
        matter=data["matter"],
        invoice_number=data["invoice_number"].strip(),
        invoice_date=data["invoice_date"],
        billing_start=data["billing_start"],
        billing_end=data["billing_end"],
        description=data["description"],
        client_id=data["client_id"].strip(),
        law_firm_matter_id=data["law_firm_matter_id"].strip(),
        lines=tuple(_line(form.cleaned_data) for form in lines.forms if form.has_changed()),
    )


def _line(data: dict[str, Any]) -> EntryLine:
    fee = data["kind"] == "F"
    return EntryLine(
        kind=data["kind"],
        date=data["date"],
        units=data["units"],
        rate=data["rate"],
        narrative=data["narrative"].strip(),
        timekeeper=data["timekeeper"] if fee else None,
        task_code=data["task_code"] if fee else "",
        activity_code=data["activity_code"] if fee else "",
        expense_code="" if fee else data["expense_code"],
        receipt=None if fee else _document(data.get("receipt")),
    )


def pdf_of(header: EntryHeaderForm) -> Document | None:
    return _document(header.cleaned_data.get("pdf"))
