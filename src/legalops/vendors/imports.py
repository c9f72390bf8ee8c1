"""Importers for firms, timekeepers and rate cards (columns of spec/cli.md).

Planning looks rows up by natural key (LAW_FIRM_ID, TIMEKEEPER_ID, CLIENT_MATTER_ID); the
write step looks them up again, so a firm or timekeeper created by an earlier row (with
`--create-missing`) is found by a later one.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError

from legalops.accounts.models import User
from legalops.core.imports import (
    Cells,
    Plan,
    Row,
    RowError,
    TableImporter,
    cell_choice,
    cell_date,
    cell_decimal,
    cell_int,
    cell_required,
    register,
)
from legalops.vendors import services
from legalops.vendors.models import LawFirm, PanelStatus, Rate, RateSource, Timekeeper
from legalops.vendors.selectors import RATES_CSV_COLUMNS


def firm_by_id(law_firm_id: str) -> LawFirm | None:
    return LawFirm.objects.filter(law_firm_id=law_firm_id).first()


def need_firm(row: Row, plan: Plan, column: str = "law_firm_id") -> str:
    """The row's LAW_FIRM_ID, known or (with --create-missing) to be created by this file."""
    law_firm_id = cell_required(row, column)
    if firm_by_id(law_firm_id) is None and law_firm_id not in plan.cache.setdefault("firms", set()):
        if not plan.create_missing:
            raise RowError(column, f"no law firm with LAW_FIRM_ID {law_firm_id!r}")
        plan.cache["firms"].add(law_firm_id)
        plan.add("create", f"firm {law_firm_id}", _creator_of_firm(law_firm_id))
    return law_firm_id


def _creator_of_firm(law_firm_id: str) -> Any:
    def create(actor: User | None) -> LawFirm:
        return services.law_firm_create(actor=actor, law_firm_id=law_firm_id, name=law_firm_id)

    return create


def get_firm(law_firm_id: str) -> LawFirm:
    return LawFirm.objects.get(law_firm_id=law_firm_id)


@register
class FirmImporter(TableImporter):
    kind = "firms"
    columns = ("law_firm_id", "name", "aliases", "status", "currency", "payment_terms_days")
    optional = ("aliases", "status", "currency", "payment_terms_days")
    example = (
        "36-1234567",
        "Hale & Whitmore LLP",
        "Hale Whitmore;HW LLP",
        "preferred",
        "USD",
        "30",
    )
    description = "Law firms: LAW_FIRM_ID, name, aliases separated by ;, panel status."

    def plan_row(self, row: Row, plan: Plan) -> None:
        cells = Cells(row, plan)
        law_firm_id, name = (
            cells.get(cell_required, "law_firm_id"),
            cells.get(cell_required, "name"),
        )
        fields: dict[str, Any] = {
            "name": name,
            "aliases": sorted({a.strip() for a in row["aliases"].split(";") if a.strip()}),
            "status": cells.get(cell_choice, "status", PanelStatus.values, PanelStatus.APPROVED),
            "currency": cells.get(cell_currency, "currency", "USD"),
            "payment_terms_days": cells.get(cell_int, "payment_terms_days", required=False) or 30,
        }
        if cells.failed:
            return
        if not plan.once(law_firm_id, "LAW_FIRM_ID"):
            return
        firm = firm_by_id(law_firm_id)
        present = {k: row.cells.get(k) is not None for k in self.optional}
        fields = {k: v for k, v in fields.items() if k == "name" or present.get(k, True)}
        if firm is None:
            plan.add(
                "create",
                law_firm_id,
                lambda actor: services.law_firm_create(
                    actor=actor, law_firm_id=law_firm_id, **fields
                ),
            )
        elif any(getattr(firm, k) != v for k, v in fields.items()):
            plan.add(
                "update",
                law_firm_id,
                lambda actor: services.law_firm_update(
                    actor=actor, firm=get_firm(law_firm_id), **fields
                ),
            )
        else:
            plan.add("unchanged", law_firm_id, None)


@register
class TimekeeperImporter(TableImporter):
    kind = "timekeepers"
    columns = (
        "law_firm_id",
        "timekeeper_id",
        "name",
        "classification",
        "bar_admission_year",
        "office",
    )
    optional = ("bar_admission_year", "office")
    example = ("36-1234567", "JS01", "Smith, Jane", "PARTNR", "2004", "Chicago")
    description = "Timekeepers per firm with their LOC classification."

    def plan_row(self, row: Row, plan: Plan) -> None:
        cells = Cells(row, plan)
        law_firm_id = cells.get(need_firm, plan)
        keeper_id = cells.get(cell_required, "timekeeper_id")
        fields = {
            "name": cells.get(cell_required, "name"),
            "classification": cells.get(cell_classification, "classification"),
            "bar_admission_year": cells.get(cell_int, "bar_admission_year", required=False),
            "office": row["office"],
        }
        if cells.failed:
            return
        if not plan.once((law_firm_id, keeper_id), "firm and TIMEKEEPER_ID"):
            return
        plan_timekeeper(plan, law_firm_id, keeper_id, fields)


def plan_timekeeper(plan: Plan, law_firm_id: str, keeper_id: str, fields: dict[str, Any]) -> None:
    existing = Timekeeper.objects.filter(
        firm__law_firm_id=law_firm_id, timekeeper_id=keeper_id
    ).first()
    label = f"timekeeper {keeper_id} of {law_firm_id}"
    if existing is None:
        plan.add(
            "create",
            label,
            lambda actor: services.timekeeper_create(
                actor=actor, firm=get_firm(law_firm_id), timekeeper_id=keeper_id, **fields
            ),
        )
    elif any(getattr(existing, k) != v for k, v in fields.items()):
        plan.add(
            "update",
            label,
            lambda actor: services.timekeeper_update(
                actor=actor, timekeeper=Timekeeper.objects.get(pk=existing.pk), **fields
            ),
        )
    else:
        plan.add("unchanged", label, None)


@register
class RateImporter(TableImporter):
    kind = "rates"
    columns = RATES_CSV_COLUMNS
    optional = ("effective_to", "client_matter_id", "timekeeper_name")
    example = ("36-1234567", "JS01", "Smith, Jane", "PARTNR", "950.00", "USD", "2027-01-01", "", "")
    description = "Approved rates (RATES.csv); an empty timekeeper_id is a classification rate."

    def plan_row(self, row: Row, plan: Plan) -> None:
        cells = Cells(row, plan)
        law_firm_id = cells.get(need_firm, plan)
        rate = cells.get(cell_rate, "rate")
        start = cells.get(cell_date, "effective_from")
        end = cells.get(cell_date, "effective_to", required=False)
        currency = cells.get(cell_currency, "currency", "")
        classification = cells.get(cell_classification, "classification")
        if start and end and end < start:
            cells.get(_fail, "effective_to", f"{end} is before effective_from {start}")
        keeper_id, matter_number = row["timekeeper_id"], row["client_matter_id"]
        if keeper_id and law_firm_id and classification:
            cells.get(self._need_timekeeper, plan, law_firm_id, keeper_id, classification)
        if matter_number:
            cells.get(_need_matter, plan, matter_number)
        if cells.failed:
            return
        key = (law_firm_id, keeper_id, "" if keeper_id else classification, matter_number, start)
        if not plan.once(key, "firm, timekeeper, matter and effective_from"):
            return
        values = {"rate": rate, "currency": currency, "end": end, "classification": classification}
        _plan_rate(plan, key, values)

    @staticmethod
    def _need_timekeeper(
        row: Row, plan: Plan, law_firm_id: str, keeper_id: str, classification: str
    ) -> None:
        known = Timekeeper.objects.filter(firm__law_firm_id=law_firm_id, timekeeper_id=keeper_id)
        pending = plan.cache.setdefault("timekeepers", set())
        if known.exists() or (law_firm_id, keeper_id) in pending:
            return
        if not plan.create_missing:
            raise RowError("timekeeper_id", f"no timekeeper {keeper_id!r} at {law_firm_id}")
        pending.add((law_firm_id, keeper_id))
        fields = {"name": row["timekeeper_name"] or keeper_id, "classification": classification}
        plan_timekeeper(plan, law_firm_id, keeper_id, fields)


def _fail(row: Row, column: str, message: str) -> None:
    raise RowError(column, message)


def cell_currency(row: Row, column: str, default: str) -> str:
    code = (row[column] or default).upper()
    try:
        return services.valid_currency(code)
    except ValidationError:
        raise RowError(column, f"{row[column]!r} is not an ISO 4217 currency code") from None


def cell_classification(row: Row, column: str) -> str:
    try:
        return services.valid_classification(row[column])
    except ValidationError:
        raise RowError(column, f"{row[column]!r} is not a LOC timekeeper classification") from None


def cell_rate(row: Row, column: str) -> Decimal:
    rate = cell_decimal(row, column)
    if rate is None or rate <= 0:
        raise RowError(column, "must be a positive rate")
    return rate


def _need_matter(row: Row, plan: Plan, number: str) -> None:
    from legalops.matters.imports import need_matter

    need_matter(row, plan, number, "client_matter_id")


def _existing_rate(key: tuple[str, str, str, str, datetime.date]) -> Rate | None:
    law_firm_id, keeper_id, classification, matter_number, start = key
    rows = Rate.objects.filter(firm__law_firm_id=law_firm_id, effective_from=start)
    rows = (
        rows.filter(timekeeper__timekeeper_id=keeper_id)
        if keeper_id
        else rows.filter(timekeeper__isnull=True, classification=classification)
    )
    rows = (
        rows.filter(matter__number=matter_number)
        if matter_number
        else rows.filter(matter__isnull=True)
    )
    return rows.first()


def _plan_rate(plan: Plan, key: tuple[Any, ...], values: dict[str, Any]) -> None:
    existing = _existing_rate(key)
    label = f"rate {' '.join(str(k) for k in key if k)}"
    if existing is None:
        plan.add("create", label, lambda actor: _create_rate(actor, key, values))
    elif (existing.rate, existing.currency, existing.effective_to) != (
        values["rate"],
        values["currency"],
        values["end"],
    ):
        plan.add(
            "update",
            label,
            lambda actor: services.rate_correct(
                actor=actor, rate=existing, rate_value=values["rate"], effective_to=values["end"]
            ),
        )
    else:
        plan.add("unchanged", label, None)


def _create_rate(actor: User | None, key: tuple[Any, ...], values: dict[str, Any]) -> Rate:
    from legalops.matters.models import Matter

    law_firm_id, keeper_id, classification, matter_number, start = key
    firm = get_firm(law_firm_id)
    keeper = Timekeeper.objects.get(firm=firm, timekeeper_id=keeper_id) if keeper_id else None
    return services.rate_create(
        actor=actor,
        firm=firm,
        timekeeper=keeper,
        classification=values["classification"],
        matter=Matter.objects.get(number=matter_number) if matter_number else None,
        rate=Decimal(values["rate"]),
        currency=values["currency"],
        effective_from=start,
        effective_to=values["end"],
        source=RateSource.IMPORT,
    )
