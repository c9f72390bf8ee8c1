"""Backtests over the REST API (legal ops admins only, MANAGE_GUIDELINES): start one, follow its
progress, read its report. The run itself is queued for `legalops worker`, as from the UI."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate

from legalops.accounts.permissions import Capability, require
from legalops.backtests import selectors, services
from legalops.backtests.models import Backtest
from legalops.core.money import format_minor
from legalops.core.schemas import ERRORS, ErrorOut
from legalops.core.typing import ApiRequest
from legalops.invoices.models import GuidelinesVersion
from legalops.matters.models import Matter
from legalops.vendors.models import LawFirm

router = Router(tags=["backtests"])


class BacktestIn(Schema):
    guidelines_version_id: int
    period_from: datetime.date
    period_to: datetime.date
    firm_id: int | None = None
    matter_id: int | None = None


class BacktestOut(Schema):
    id: int
    status: str
    guidelines_version_id: int | None
    guidelines: str
    sha256: str
    period_from: datetime.date
    period_to: datetime.date
    firm_id: int | None
    matter_id: int | None
    invoices_total: int
    invoices_done: int
    lines_total: int
    percent: int
    error: str
    created_at: datetime.datetime
    finished_at: datetime.datetime | None


def backtest_out(backtest: Backtest) -> dict[str, Any]:
    return {
        "id": backtest.pk,
        "status": backtest.status,
        "guidelines_version_id": backtest.guidelines_id,
        "guidelines": backtest.guidelines_label,
        "sha256": backtest.guidelines_sha256,
        "period_from": backtest.period_from,
        "period_to": backtest.period_to,
        "firm_id": backtest.firm_id,
        "matter_id": backtest.matter_id,
        "invoices_total": backtest.invoices_total,
        "invoices_done": backtest.invoices_done,
        "lines_total": backtest.lines_total,
        "percent": backtest.percent,
        "error": backtest.error,
        "created_at": backtest.created_at,
        "finished_at": backtest.finished_at,
    }


def _found[M: Model](model: type[M], pk: int | None, field: str) -> M | None:
    if pk is None:
        return None
    found = model._default_manager.filter(pk=pk).first()
    if found is None:
        raise ValidationError({field: f"no {model.__name__} with id {pk}"})
    return found


@router.post("/backtests", response={201: BacktestOut, **ERRORS})
def backtest_start(request: ApiRequest, body: BacktestIn) -> Status[dict[str, Any]]:
    require(request.auth, Capability.MANAGE_GUIDELINES)
    backtest = services.backtest_create(
        actor=request.auth,
        version=_found(GuidelinesVersion, body.guidelines_version_id, "guidelines_version_id"),
        period_from=body.period_from,
        period_to=body.period_to,
        firm=_found(LawFirm, body.firm_id, "firm_id"),
        matter=_found(Matter, body.matter_id, "matter_id"),
    )
    backtest.refresh_from_db()
    return Status(201, backtest_out(backtest))


@router.get("/backtests", response=list[BacktestOut])
@paginate(LimitOffsetPagination)
def backtest_list(request: ApiRequest) -> list[dict[str, Any]]:
    require(request.auth, Capability.MANAGE_GUIDELINES)
    return [backtest_out(b) for b in selectors.backtest_list(user=request.auth)]


@router.get("/backtests/{backtest_id}", response={200: BacktestOut, **ERRORS})
def backtest_status(request: ApiRequest, backtest_id: int) -> dict[str, Any]:
    require(request.auth, Capability.MANAGE_GUIDELINES)
    return backtest_out(selectors.backtest_get(user=request.auth, pk=backtest_id))


@router.get(
    "/backtests/{backtest_id}/result", response={200: dict[str, Any], 409: ErrorOut, **ERRORS}
)
def backtest_result(request: ApiRequest, backtest_id: int) -> dict[str, Any]:
    """The report: totals, by rule, by firm, by matter (amounts as exact decimal strings in
    each row's currency), and the guidelines versions that actually reviewed the invoices."""
    require(request.auth, Capability.MANAGE_GUIDELINES)
    backtest = selectors.backtest_get(user=request.auth, pk=backtest_id)
    if backtest.status != Backtest.Status.DONE:
        raise HttpError(409, f"the backtest is {backtest.status}: no result yet")
    return {"backtest": backtest_out(backtest), **report_json(backtest)}


def report_json(backtest: Backtest) -> dict[str, Any]:
    """The report with every `*_minor` amount also as a decimal string (`*_minor` dropped
    from the name): `saved_minor: 40000` in USD -> `saved: "400.00"`."""
    report = selectors.report(backtest)
    return {
        key: [_amounts(row) for row in rows] if key != "versions_used" else rows
        for key, rows in report.items()
    }


def _amounts(row: dict[str, Any]) -> dict[str, Any]:
    out = dict(row)
    for key, value in row.items():
        if key.endswith("_minor"):
            out[key[: -len("_minor")]] = format_minor(int(value), row["currency"])
    return out
