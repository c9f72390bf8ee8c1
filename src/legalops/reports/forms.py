"""The dashboards' filter bar: period, firm, practice area, business unit and matter type, read
from the query string on every Insight page (so a link, a bookmark and an export carry them) and
turned into the registry's `Filters`."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.http import QueryDict

from legalops.accounts.models import User
from legalops.matters.models import MatterType
from legalops.organization.selectors import business_unit_list, practice_area_list
from legalops.reports.registry import FilterError, Filters
from legalops.vendors.selectors import law_firm_list

PERIODS = [
    ("last_12_months", "Last 12 months"),
    ("this_year", "This year"),
    ("last_year", "Last year"),
    ("all", "All time"),
    ("custom", "From–to dates"),
]
DEFAULT_PERIOD = "last_12_months"
FILTER_PARAMS = ("period", "from", "to", "firm", "practice_area", "business_unit", "matter_type")


def period_dates(
    period: str, today: datetime.date
) -> tuple[datetime.date | None, datetime.date | None]:
    """A named period as inclusive dates ending today (or the last full year)."""
    if period == "this_year":
        return today.replace(month=1, day=1), today
    if period == "last_year":
        return datetime.date(today.year - 1, 1, 1), datetime.date(today.year - 1, 12, 31)
    if period == "all":
        return None, None
    first = today.replace(day=1)
    year, month = (
        (first.year, first.month - 11) if first.month > 11 else (first.year - 1, first.month + 1)
    )
    return datetime.date(year, month, 1), today


class FilterForm(forms.Form):
    period = forms.ChoiceField(choices=PERIODS, required=False)
    date_from = forms.DateField(
        required=False, label="From", widget=forms.DateInput({"type": "date"})
    )
    date_to = forms.DateField(required=False, label="To", widget=forms.DateInput({"type": "date"}))
    firm = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)
    practice_area = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)
    business_unit = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)
    matter_type = forms.ChoiceField(required=False)

    def __init__(self, data: QueryDict, *, user: User, today: datetime.date) -> None:
        super().__init__(data, auto_id="f_%s", label_suffix="")
        self.today = today
        firms = law_firm_list(user=user).order_by("name").values_list("pk", "name")
        self._choices("firm", "All firms", firms)
        self._choices(
            "practice_area", "All practice areas", practice_area_list().values_list("pk", "name")
        )
        self._choices(
            "business_unit", "All business units", business_unit_list().values_list("pk", "name")
        )
        self._choices("matter_type", "All matter types", MatterType.choices)

    def _choices(self, name: str, everything: str, options: Any) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", everything), *options]

    def add_prefix(self, field_name: str) -> str:
        # The query string says `from`/`to`, as the registry and the invoice list do.
        return {"date_from": "from", "date_to": "to"}.get(field_name, field_name)

    def filters(self) -> Filters:
        """The registry's Filters; a bad value is reported on its field and left out."""
        self.is_valid()  # the fields that are valid are used; the others show their error
        data = self.cleaned_data
        period = data.get("period") or (
            "custom" if data.get("date_from") or data.get("date_to") else DEFAULT_PERIOD
        )
        start, end = (
            (data.get("date_from"), data.get("date_to"))
            if period == "custom"
            else period_dates(period, self.today)
        )
        try:
            return Filters(
                date_from=start,
                date_to=end,
                firm_ids=_one(data.get("firm")),
                practice_area_ids=_one(data.get("practice_area")),
                business_unit_ids=_one(data.get("business_unit")),
                matter_types=(data["matter_type"],) if data.get("matter_type") else (),
            )
        except FilterError as exc:
            self.add_error("date_to", str(exc))
            return Filters(firm_ids=_one(data.get("firm")))

    def query(self) -> dict[str, str]:
        """The filters as query parameters, for drill-down links and the export buttons."""
        return {
            name: str(self.data.get(name, "") or "")
            for name in FILTER_PARAMS
            if self.data.get(name)
        }


def _one(value: int | None) -> tuple[int, ...]:
    return (value,) if value is not None else ()
