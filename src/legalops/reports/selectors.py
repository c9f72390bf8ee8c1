"""Reads for the insight pages: who may see which numbers, the filters applied to invoices,
lines and rollups, and the labels of dimension keys (DESIGN.md rule 4).

Scope: admins and approvers read the whole department's numbers; attorneys the matters they
lead or are on the team of; everyone else (firm users, requesters) nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, Model, OuterRef, Q, QuerySet

from legalops.accounts.models import Role, User
from legalops.accounts.permissions import Capability, has_capability
from legalops.invoices.models import Invoice, InvoiceLine, LineKind
from legalops.matters.models import Matter, MatterType
from legalops.organization.models import BusinessUnit, PracticeArea
from legalops.organization.selectors import company_get
from legalops.reports.registry import FilterError, Filters, Key
from legalops.vendors.models import LawFirm

# Staffing buckets of spec/cli.md ("staffing_mix"): LEDES classification codes per bucket;
# every other code (and none) is "other".
BUCKETS: dict[str, tuple[str, ...]] = {
    "partner": ("PARTNR", "PT"),
    "counsel": ("OFCOUN", "OC"),
    "associate": ("ASSOC", "TRANEE", "STFATT", "TEMPAT", "SECNDE", "AS"),
    "paralegal": ("PARALG", "LGLAST", "PL", "LA"),
    "other": (),
}
BUCKET_LABELS = {
    "partner": "Partner",
    "counsel": "Counsel",
    "associate": "Associate",
    "paralegal": "Paralegal",
    "other": "Other",
}
_BUCKET_OF = {code: bucket for bucket, codes in BUCKETS.items() for code in codes}


def bucket_of(classification: str) -> str:
    return _BUCKET_OF.get(classification.strip().upper(), "other")


def require_reports(user: User | None) -> None:
    """`None` is the system (the `legalops kpi` command run by the operator): everything."""
    if not has_capability(user, Capability.VIEW_REPORTS):
        raise PermissionDenied("your role may not view reports")


def report_matter_scope(user: User | None) -> Q | None:
    """A Q over matters (the `matter__` prefix is added by the callers) limiting what the user
    may see, or None when the user sees the whole department."""
    require_reports(user)
    if user is None or user.role in (Role.ADMIN, Role.APPROVER):
        return None
    team = Matter.team.through.objects.filter(matter_id=OuterRef("pk"), user_id=user.pk)
    return Q(pk__in=Matter.objects.filter(Q(lead_attorney=user) | Exists(team)).values("pk"))


def reporting_currency() -> str:
    return company_get().reporting_currency


def scoped[M: Model](
    queryset: QuerySet[M], user: User | None, filters: Filters, *, date_field: str
) -> QuerySet[M]:
    """`queryset` (invoices, lines or rollup rows: anything with `firm` and `matter`, through
    `prefix`) limited to the user's scope and the filters; `date_field` is the date the
    period bounds (e.g. "invoice_date", "invoice__invoice_date" or "month")."""
    prefix = "" if queryset.model in (Invoice,) else _prefix(queryset.model)
    scope = report_matter_scope(user)
    if scope is not None:
        queryset = queryset.filter(**{f"{prefix}matter__in": Matter.objects.filter(scope)})
    conditions: dict[str, Any] = {}
    if filters.date_from:
        conditions[f"{date_field}__gte"] = _period_start(filters.date_from, date_field)
    if filters.date_to:
        conditions[f"{date_field}__lte"] = filters.date_to
    if filters.firm_ids:
        conditions[f"{prefix}firm_id__in"] = filters.firm_ids
    if filters.practice_area_ids:
        conditions[f"{prefix}matter__practice_area_id__in"] = filters.practice_area_ids
    if filters.business_unit_ids:
        conditions[f"{prefix}matter__business_unit_id__in"] = filters.business_unit_ids
    if filters.matter_types:
        conditions[f"{prefix}matter__matter_type__in"] = filters.matter_types
    return queryset.filter(**conditions)


def _prefix(model: type[Model]) -> str:
    return "invoice__" if model is InvoiceLine else ""


def _period_start(day: datetime.date, date_field: str) -> datetime.date:
    # Monthly rollups are keyed by the month's first day: a period starting mid-month still
    # includes that month (the rollups' grain is the month; the raw-line selectors are exact).
    return day.replace(day=1) if date_field == "month" else day


# Where each dimension lives, relative to an invoice.
DIMENSION_FIELDS = {
    "firm": "firm_id",
    "matter": "matter_id",
    "practice_area": "matter__practice_area_id",
    "business_unit": "matter__business_unit_id",
    "matter_type": "matter__matter_type",
}


def _narrow[M: Model](
    queryset: QuerySet[M], prefix: str, dimension: Mapping[str, Any]
) -> QuerySet[M]:
    for name, value in dimension.items():
        if name in DIMENSION_FIELDS:
            queryset = queryset.filter(**{prefix + DIMENSION_FIELDS[name]: value})
        elif name == "month":
            first, last = month_bounds(value)
            queryset = queryset.filter(**{f"{prefix}invoice_date__range": (first, last)})
        elif name != "classification":
            raise FilterError(f"unknown drill-down dimension {name!r}")
    return queryset


def month_bounds(value: str | datetime.date) -> tuple[datetime.date, datetime.date]:
    """ "2026-03" (or a date in March 2026) -> (2026-03-01, 2026-03-31)."""
    try:
        day = (
            value
            if isinstance(value, datetime.date)
            else datetime.date.fromisoformat(f"{value}-01")
        )
    except ValueError:
        raise FilterError(f"month: {value!r} is not a month (YYYY-MM)") from None
    first = day.replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    return first, following - datetime.timedelta(days=1)


def classification_q(bucket: str, prefix: str = "") -> Q:
    """Fee lines whose timekeeper classification falls in the staffing bucket."""
    if bucket not in BUCKETS:
        raise FilterError(f"classification: {bucket!r} is not one of {', '.join(BUCKETS)}")
    fee = Q(**{f"{prefix}kind": LineKind.FEE})
    if bucket == "other":
        known = [code for codes in BUCKETS.values() for code in codes]
        return fee & ~Q(**{f"{prefix}classification__in": known})
    return fee & Q(**{f"{prefix}classification__in": BUCKETS[bucket]})


def invoices_in_scope(
    user: User | None, filters: Filters, dimension: Mapping[str, Any]
) -> QuerySet[Invoice]:
    invoices = scoped(Invoice.objects.all(), user, filters, date_field="invoice_date")
    invoices = _narrow(invoices, "", dimension)
    if "classification" in dimension:
        lines = InvoiceLine.objects.filter(
            classification_q(dimension["classification"]), invoice_id=OuterRef("pk")
        )
        invoices = invoices.filter(Exists(lines))
    return invoices.select_related("firm", "matter")


def lines_in_scope(
    user: User | None, filters: Filters, dimension: Mapping[str, Any]
) -> QuerySet[InvoiceLine]:
    lines = scoped(InvoiceLine.objects.all(), user, filters, date_field="invoice__invoice_date")
    lines = _narrow(lines, "invoice__", dimension)
    if "classification" in dimension:
        lines = lines.filter(classification_q(dimension["classification"]))
    return lines.select_related("invoice", "invoice__firm", "invoice__matter", "timekeeper")


def dimension_labels(dimension: str, keys: Iterable[Key]) -> dict[Key, str]:
    """People's names for the keys of one dimension."""
    keys = list(keys)
    ids = [key for key in keys if isinstance(key, int)]
    if dimension == "firm":
        return dict(LawFirm.objects.filter(pk__in=ids).values_list("pk", "name"))
    if dimension == "matter":
        rows = Matter.objects.filter(pk__in=ids).values_list("pk", "number", "name")
        return {pk: f"{number} {name}" for pk, number, name in rows}
    if dimension == "practice_area":
        return dict(PracticeArea.objects.filter(pk__in=ids).values_list("pk", "name"))
    if dimension == "business_unit":
        return dict(BusinessUnit.objects.filter(pk__in=ids).values_list("pk", "name"))
    if dimension == "matter_type":
        return {key: dict(MatterType.choices).get(str(key), str(key)) for key in keys}
    if dimension == "classification":
        return {key: BUCKET_LABELS.get(str(key), str(key)) for key in keys}
    if dimension == "month":
        return {key: key.strftime("%Y-%m") for key in keys if isinstance(key, datetime.date)}
    raise FilterError(f"unknown dimension {dimension!r}")


def dimension_codes(dimension: str, keys: Iterable[Key]) -> dict[Key, str]:
    """Stable codes of the keys for scripts (`legalops kpi --json` groups): a firm's
    LAW_FIRM_ID, a matter's number, a practice area's or business unit's code, a matter
    type or staffing bucket as is, a month as YYYY-MM."""
    keys = list(keys)
    ids = [key for key in keys if isinstance(key, int)]
    models: dict[str, tuple[Any, str]] = {
        "firm": (LawFirm, "law_firm_id"),
        "matter": (Matter, "number"),
        "practice_area": (PracticeArea, "code"),
        "business_unit": (BusinessUnit, "code"),
    }
    if dimension in models:
        model, field = models[dimension]
        return dict(model.objects.filter(pk__in=ids).values_list("pk", field))
    if dimension == "month":
        return {key: key.strftime("%Y-%m") for key in keys if isinstance(key, datetime.date)}
    return {key: str(key) for key in keys}
