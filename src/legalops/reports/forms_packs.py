"""The scheduled report pack form (Insight > Scheduled packs) and the month of "Send now".
Validation of substance (recipients who may read reports, at least one file) is the service's
(`reports.subscriptions`); this form only offers the choices."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms

from legalops.accounts.models import User
from legalops.matters.types import matter_type_choices
from legalops.organization.selectors import business_unit_list, practice_area_list
from legalops.reports.models import PackPeriod, ReportSubscription
from legalops.reports.packs_mail import previous_month
from legalops.reports.subscriptions import FIELDS, report_recipient_choices
from legalops.reports.views_pages import PAGES
from legalops.vendors.models import LawFirm


class SubscriptionForm(forms.Form):
    name = forms.CharField(max_length=120, help_text="Also the email's subject.")
    pages = forms.MultipleChoiceField(
        label="Dashboards",
        choices=[(key, page.title) for key, page in PAGES.items()],
        widget=forms.CheckboxSelectMultiple,
    )
    pdf = forms.BooleanField(required=False, initial=True, label="Board pack (PDF)")
    xlsx = forms.BooleanField(required=False, label="Excel workbook (native charts)")
    period = forms.ChoiceField(choices=PackPeriod.choices, initial=PackPeriod.MONTH)
    recipients = forms.ModelMultipleChoiceField(
        queryset=report_recipient_choices(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Admins, approvers and attorneys; an attorney's pack holds only their matters.",
    )
    firm = forms.ModelChoiceField(
        queryset=LawFirm.objects.order_by("name"), required=False, empty_label="All firms"
    )
    practice_area = forms.ModelChoiceField(
        queryset=practice_area_list(), required=False, empty_label="All practice areas"
    )
    business_unit = forms.ModelChoiceField(
        queryset=business_unit_list(), required=False, empty_label="All business units"
    )
    matter_type = forms.ChoiceField(required=False)
    is_active = forms.BooleanField(required=False, initial=True, label="Active")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recipients"].queryset = report_recipient_choices()  # type: ignore[attr-defined]
        self.fields["recipients"].label_from_instance = recipient_label  # type: ignore[attr-defined]
        types = matter_type_choices(inactive=True)
        self.fields["matter_type"].choices = [("", "All matter types"), *types]  # type: ignore[attr-defined]

    @staticmethod
    def initial_from(subscription: ReportSubscription) -> dict[str, Any]:
        initial = {name: getattr(subscription, name) for name in FIELDS}
        return {**initial, "recipients": list(subscription.recipients.all())}


def recipient_label(user: User) -> str:
    """How a recipient reads in the form: name, role and the address the pack goes to."""
    name = user.get_full_name() or user.get_username()
    return f"{name} ({user.get_role_display()}, {user.email or 'no email address'})"


class SendNowForm(forms.Form):
    month = forms.CharField(
        max_length=7, widget=forms.TextInput({"type": "month", "aria-label": "Month"})
    )

    @staticmethod
    def default(today: datetime.date) -> dict[str, str]:
        return {"month": previous_month(today).strftime("%Y-%m")}
