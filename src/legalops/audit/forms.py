from __future__ import annotations

from django import forms

from legalops.audit.events import Event


class AuditFilterForm(forms.Form):
    event_type = forms.ChoiceField(
        required=False,
        label="Event",
        choices=[("", "All events")] + [(e.value, e.label) for e in Event],
    )
    actor = forms.CharField(required=False, label="By user")
    target_type = forms.CharField(required=False, label="Object type")
    q = forms.CharField(required=False, label="Search")
    date_from = forms.DateField(
        required=False, label="From", widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        required=False, label="To", widget=forms.DateInput(attrs={"type": "date"})
    )
