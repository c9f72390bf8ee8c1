"""Importers for matters and budgets (columns of spec/cli.md)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q

from legalops.accounts.models import Role, User
from legalops.core.imports import (
    Cells,
    Plan,
    Row,
    RowError,
    Table,
    TableImporter,
    cell_bool,
    cell_choice,
    cell_date,
    cell_decimal,
    cell_int,
    cell_required,
    register,
)
from legalops.core.money import to_minor
from legalops.matters import budgets, services
from legalops.matters.custom_fields import custom_value, field_list
from legalops.matters.models import (
    Budget,
    Matter,
    MatterField,
    MatterFirm,
    MatterStatus,
    MatterType,
)
from legalops.matters.types import matter_type_codes
from legalops.organization.models import BusinessUnit, PracticeArea
from legalops.organization.selectors import company_get
from legalops.vendors.imports import cell_currency, get_firm, need_firm


def need_matter(row: Row, plan: Plan, number: str, column: str) -> None:
    """A CLIENT_MATTER_ID that exists or (with --create-missing) is created as a stub."""
    pending = plan.cache.setdefault("matters", set())
    if Matter.objects.filter(number=number).exists() or number in pending:
        return
    if not plan.create_missing:
        raise RowError(column, f"no matter {number!r}")
    pending.add(number)
    plan.add(
        "create",
        f"matter {number}",
        lambda actor: services.matter_create(
            actor=actor,
            number=number,
            name=number,
            matter_type=MatterType.OTHER,
            opened_on=company_get().fiscal_year_bounds(company_get().fiscal_year_of(_today()))[0],
        ),
    )


def _today() -> Any:
    from django.utils import timezone

    return timezone.localdate()


def _need_listed_firm(row: Row, plan: Plan, law_firm_id: str) -> None:
    need_firm(Row(row.number, {"law_firm_ids": law_firm_id}), plan, "law_firm_ids")


def _coded(row: Row, model: type[PracticeArea] | type[BusinessUnit], column: str) -> Any:
    value = row[column]
    if not value:
        return None
    found = model.objects.filter(Q(code__iexact=value) | Q(name__iexact=value)).first()
    if found is None:
        raise RowError(column, f"no {model._meta.verbose_name} with code or name {value!r}")
    return found


def _lead(row: Row, column: str) -> User | None:
    value = row[column]
    if not value:
        return None
    found = User.objects.filter(
        Q(username__iexact=value) | Q(email__iexact=value), role__in=(Role.ADMIN, Role.ATTORNEY)
    ).first()
    if found is None:
        raise RowError("lead_attorney", f"no attorney with username or email {value!r}")
    return found


@register
class MatterImporter(TableImporter):
    kind = "matters"
    columns = (
        "client_matter_id",
        "name",
        "matter_type",
        "practice_area",
        "business_unit",
        "status",
        "opened",
        "closed",
        "lead_attorney",
        "law_firm_ids",
        "currency",
        "confidential",
    )
    optional = (
        "practice_area",
        "business_unit",
        "status",
        "closed",
        "lead_attorney",
        "law_firm_ids",
        "currency",
        "confidential",
    )
    example = (
        "LIT-2026-001",
        "Acme v. Northwind",
        "litigation",
        "LIT",
        "SALES-NA",
        "open",
        "2026-02-01",
        "",
        "counsel",
        "36-1234567;94-7654321",
        "USD",
        "no",
    )
    description = "Matters: type, practice area, unit, lead attorney, firms (ids separated by ;)."

    def plan_row(self, row: Row, plan: Plan) -> None:
        cells = Cells(row, plan)
        number = cells.get(cell_required, "client_matter_id")
        fields = {
            "name": cells.get(cell_required, "name"),
            "matter_type": cells.get(cell_choice, "matter_type", matter_type_codes()),
            "practice_area": cells.get(_coded, PracticeArea, "practice_area"),
            "business_unit": cells.get(_coded, BusinessUnit, "business_unit"),
            "opened_on": cells.get(cell_date, "opened"),
            "lead_attorney": cells.get(_lead, "lead_attorney"),
            "currency": cells.get(cell_currency, "currency", "USD"),
            "confidential": cells.get(cell_bool, "confidential"),
        }
        custom = {
            field.key: cells.get(_custom_cell, field)
            for field in field_list()
            if field.key in row.cells
        }
        if custom:
            fields["custom_fields"] = custom
        status = cells.get(cell_choice, "status", MatterStatus.values, MatterStatus.OPEN)
        closed = cells.get(cell_date, "closed", required=status == MatterStatus.CLOSED)
        firm_ids = [f.strip() for f in row["law_firm_ids"].split(";") if f.strip()]
        for law_firm_id in firm_ids:
            cells.get(_need_listed_firm, plan, law_firm_id)
        if cells.failed or not plan.once(number, "client_matter_id"):
            return
        self._plan(plan, number, fields, status, closed, firm_ids)

    def _plan(
        self,
        plan: Plan,
        number: str,
        fields: dict[str, Any],
        status: str,
        closed: Any,
        firm_ids: list[str],
    ) -> None:
        matter = Matter.objects.filter(number=number).first()
        assigned = (
            set(
                MatterFirm.objects.filter(matter=matter).values_list("firm__law_firm_id", flat=True)
            )
            if matter
            else set()
        )
        same = matter is not None and all(_same(matter, k, v) for k, v in fields.items())
        if (
            same
            and matter
            and matter.status == status
            and set(firm_ids) <= assigned
            and (status != MatterStatus.CLOSED or matter.closed_on == closed)
        ):
            plan.add("unchanged", number, None)
            return
        plan.add(
            "create" if matter is None else "update",
            number,
            lambda actor: _write_matter(actor, number, fields, status, closed, firm_ids),
        )


def _write_matter(
    actor: User | None,
    number: str,
    fields: dict[str, Any],
    status: str,
    closed: Any,
    firm_ids: list[str],
) -> Matter:
    matter = Matter.objects.filter(number=number).first()
    if matter is None:
        matter = services.matter_create(actor=actor, number=number, **fields)
    else:
        if "custom_fields" in fields:  # the file's columns change those fields only
            fields = {**fields, "custom_fields": matter.custom_fields | fields["custom_fields"]}
        services.matter_update(actor=actor, matter=matter, **fields)
    for law_firm_id in firm_ids:
        if not MatterFirm.objects.filter(matter=matter, firm__law_firm_id=law_firm_id).exists():
            services.matter_firm_assign(actor=actor, matter=matter, firm=get_firm(law_firm_id))
    if matter.status != status or (closed and matter.closed_on != closed):
        if matter.status == MatterStatus.CLOSED and status == MatterStatus.CLOSED:
            services.matter_status_change(actor=actor, matter=matter, status=MatterStatus.OPEN)
        services.matter_status_change(actor=actor, matter=matter, status=status, on=closed)
    return matter


@register
class BudgetImporter(TableImporter):
    """Rows of one matter, firm and fiscal year form one budget (one row per phase); a
    changed budget becomes a new approved version (legal ops import approved budgets)."""

    kind = "budgets"
    columns = ("client_matter_id", "law_firm_id", "fiscal_year", "phase", "amount", "currency")
    optional = ("phase", "currency")
    example = ("LIT-2026-001", "36-1234567", "2026", "L100", "25000.00", "USD")
    description = (
        "Approved budgets per matter, firm and fiscal year; phase empty = the whole matter."
    )

    def plan(self, table: Table, *, create_missing: bool) -> Plan:
        self._groups: dict[tuple[str, str, int], dict[str, Any]] = defaultdict(dict)
        plan = super().plan(table, create_missing=create_missing)
        if not plan.problems:
            for key, group in self._groups.items():
                plan.row = group["row"]
                self._plan_budget(plan, key, group)
        return plan

    def plan_row(self, row: Row, plan: Plan) -> None:
        cells = Cells(row, plan)
        number = cells.get(cell_required, "client_matter_id")
        if number:
            cells.get(need_matter, plan, number, "client_matter_id")
        law_firm_id = cells.get(need_firm, plan)
        year = cells.get(_fiscal_year, "fiscal_year")
        amount = cells.get(cell_amount, "amount")
        code = cells.get(cell_currency, "currency", "") if row["currency"] else ""
        phase = row["phase"].upper()
        if cells.failed:
            return
        if not plan.once((number, law_firm_id, year, phase), "matter, firm, year and phase"):
            return
        group = self._groups[(number, law_firm_id, year)]
        group.setdefault("row", row.number)
        group.setdefault("amounts", {})[phase] = amount
        if code and group.setdefault("currency", code) != code:
            raise RowError("currency", "one budget is in one currency")

    def _plan_budget(self, plan: Plan, key: tuple[str, str, int], group: dict[str, Any]) -> None:
        number, law_firm_id, year = key
        budget = (
            Budget.objects.filter(
                matter__number=number, firm__law_firm_id=law_firm_id, fiscal_year=year
            )
            .select_related("approved_version")
            .first()
        )
        label = f"budget FY{year} {number} {law_firm_id}"
        if budget is not None and budget.approved_version is not None:
            current = {
                line.phase: line.amount_minor for line in budget.approved_version.lines.all()
            }
            wanted = {p: to_minor(a, budget.currency) for p, a in group["amounts"].items()}
            if current == wanted and group.get("currency", budget.currency) == budget.currency:
                plan.add("unchanged", label, None)
                return
        plan.add(
            "create" if budget is None else "update",
            label,
            lambda actor: _write_budget(actor, key, group, plan.create_missing),
        )


def _fiscal_year(row: Row, column: str) -> int:
    year = cell_int(row, column)
    if year is None or not 1990 <= year <= 2200:
        raise RowError(column, f"{row[column]!r} is not a fiscal year")
    return year


def cell_amount(row: Row, column: str) -> Decimal:
    amount = cell_decimal(row, column)
    if amount is None or amount < 0:
        raise RowError(column, "must be zero or more")
    return amount


def _write_budget(
    actor: User | None, key: tuple[str, str, int], group: dict[str, Any], create_missing: bool
) -> Any:
    number, law_firm_id, year = key
    matter, firm = Matter.objects.get(number=number), get_firm(law_firm_id)
    if not MatterFirm.objects.filter(matter=matter, firm=firm).exists():
        if not create_missing:
            raise ValidationError({"law_firm_id": f"{law_firm_id} is not assigned to {number}"})
        services.matter_firm_assign(actor=actor, matter=matter, firm=firm)
    amounts: dict[str, Decimal] = group["amounts"]
    return budgets.budget_submit(
        actor=actor,
        matter=matter,
        firm=firm,
        fiscal_year=year,
        amounts=amounts,
        currency=group.get("currency", ""),
        note="imported",
        approve=True,
    )


def _custom_cell(row: Row, field: MatterField) -> Any:
    """An optional extra column named after a custom field's key; empty clears the value."""
    raw = row[field.key]
    if not raw:
        return ""
    try:
        return custom_value(field, raw)
    except ValueError as exc:
        raise RowError(field.key, f"{field.label} must be {exc}") from None


def _same(matter: Matter, key: str, value: Any) -> bool:
    if key == "custom_fields":  # the file's columns only: other fields' values stay
        return bool(matter.custom_fields == matter.custom_fields | value)
    return bool(getattr(matter, key) == value)
