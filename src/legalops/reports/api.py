"""`GET /api/v1/kpis`: the object `legalops kpi --json` prints (spec/cli.md), for the user's
scope (admin and approver: the department; attorney: their matters; others: 403)."""

from __future__ import annotations

from typing import Any

from ninja import Router
from ninja.errors import HttpError

from legalops.core.schemas import ERRORS
from legalops.core.typing import ApiRequest
from legalops.reports.kpis_report import kpi_report
from legalops.reports.registry import FilterError, Filters

router = Router(tags=["insight"])


@router.get("/kpis", response={200: dict[str, Any], **ERRORS})
def kpis(request: ApiRequest) -> dict[str, Any]:
    """Query parameters: `from`, `to` (ISO dates), `by` (firm, matter, practice-area,
    business-unit, month), `firm`, `practice_area`, `business_unit` (ids, comma-separated
    or repeated), `matter_type`. Money as decimal strings in the reporting currency."""
    try:
        filters = Filters.from_params(request.GET)
        return kpi_report(request.auth, filters, request.GET.get("by") or None)
    except FilterError as exc:
        raise HttpError(422, str(exc)) from None
