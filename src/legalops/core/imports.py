"""All-or-nothing import of spreadsheets (CSV or the first sheet of an .xlsx), shared by the
web import page and `legalops import KIND FILE` (spec/cli.md).

A file is read whole, every row is checked and planned (create, update or unchanged) before
anything is written; if any row is wrong the report lists every problem (file, row as a
spreadsheet numbers it: header = row 1, column, message) and nothing is written. Writes go
through the apps' services, inside one transaction with one `data.imported` audit event, so a
refusal from a service (an overlapping rate, say) rolls the whole file back too. Running the
same file again plans only `unchanged` rows and writes nothing.

Apps register their importers with `register`; other import commands (LEDES files, invoice
history) register a `CommandSpec` of their own with `register_command`, in their `imports`
module. Those modules are imported on first use (`importers()`, `commands()`), not when Django
starts: they pull in the LEDES intake and the guidelines engine, which most commands (and
`legalops kpi`'s start-up) never need.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.module_loading import autodiscover_modules

from legalops.accounts.models import User
from legalops.accounts.permissions import Capability, require
from legalops.audit.events import Event
from legalops.audit.services import audit_record

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 200_000


class Unreadable(Exception):
    """The file cannot be read as a table at all (exit code 2)."""


@dataclass(frozen=True)
class Problem:
    file: str
    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.row}" if self.row else self.file
        return (
            f"{where}: {self.column}: {self.message}" if self.column else f"{where}: {self.message}"
        )


@dataclass(frozen=True)
class Row:
    number: int  # as a spreadsheet shows it: the header is row 1
    cells: dict[str, str]

    def __getitem__(self, column: str) -> str:
        return self.cells.get(column, "")


@dataclass(frozen=True)
class Table:
    file: str
    header: list[str]
    rows: list[Row]


# --- Reading -----------------------------------------------------------------------------


def read_table(name: str, data: bytes) -> Table:
    if len(data) > MAX_BYTES:
        raise Unreadable(f"{name}: larger than {MAX_BYTES // (1024 * 1024)} MB")
    is_xlsx = PurePath(name).suffix.lower() in (".xlsx", ".xlsm", ".xls", ".ods")
    grid = _xlsx_grid(name, data) if is_xlsx else _csv_grid(name, data)
    if not grid or not any(cell for cell in grid[0]):
        raise Unreadable(f"{name}: empty file (the first row must be the header)")
    header = [cell.strip().lower() for cell in grid[0]]
    rows = [
        Row(number, {col: value.strip() for col, value in zip(header, cells, strict=False) if col})
        for number, cells in enumerate(grid[1:], start=2)
        if any(cell.strip() for cell in cells)
    ]
    if len(rows) > MAX_ROWS:
        raise Unreadable(f"{name}: more than {MAX_ROWS} rows")
    return Table(name, header, rows)


def _csv_grid(name: str, data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise Unreadable(
            f"{name}: not UTF-8 text (byte {exc.start}); save the CSV as UTF-8"
        ) from None
    return [list(row) for row in csv.reader(io.StringIO(text))]


def _xlsx_grid(name: str, data: bytes) -> list[list[str]]:
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
        values = sheet.to_python(skip_empty_area=False)
    except (CalamineError, ValueError, OSError) as exc:
        raise Unreadable(f"{name}: not a readable spreadsheet ({exc})") from None
    return [[_cell_text(cell) for cell in row] for row in values]


def _cell_text(value: Any) -> str:
    """Spreadsheet cells as the text a CSV would hold (numbers without float noise)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


# --- Planning ----------------------------------------------------------------------------


@dataclass
class Change:
    row: int
    action: str  # "create", "update" or "unchanged"
    label: str
    apply: Callable[[User | None], object] | None = None


class RowError(Exception):
    """A cell that cannot be used; the planner records it and goes on with the next cell."""

    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column, self.message = column, message


@dataclass
class Plan:
    file: str
    create_missing: bool
    problems: list[Problem] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    cache: dict[Any, Any] = field(default_factory=dict)
    seen: dict[Any, int] = field(default_factory=dict)
    row: int = 0

    def bad(self, column: str, message: str, row: int | None = None) -> None:
        self.problems.append(Problem(self.file, row or self.row, column, message))

    def once(self, key: Any, what: str) -> bool:
        """False (with a problem) when an earlier row of the file has the same key."""
        if key in self.seen:
            self.bad("", f"the same {what} as row {self.seen[key]}")
            return False
        self.seen[key] = self.row
        return True

    def add(self, action: str, label: str, apply: Callable[[User | None], object] | None) -> None:
        self.changes.append(
            Change(self.row, action, label, apply if action != "unchanged" else None)
        )


class Cells:
    """Reads the cells of one row, recording every problem instead of stopping at the first:
    `value = cells.get(cell_date, "opened")` is None (and `cells.failed` True) on a problem."""

    def __init__(self, row: Row, plan: Plan) -> None:
        self.row, self.plan, self.failed = row, plan, False

    def get(self, reader: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        try:
            return reader(self.row, *args, **kwargs)
        except RowError as exc:
            self.plan.bad(exc.column, exc.message)
            self.failed = True
            return None


def cell_choice(row: Row, column: str, choices: list[str], default: str = "") -> str:
    value = (row[column] or default).lower()
    if value not in choices:
        raise RowError(column, f"{row[column]!r} is not one of {', '.join(choices)}")
    return value


def cell_decimal(
    row: Row, column: str, *, places: int = 4, required: bool = True
) -> Decimal | None:
    raw = (
        row[column].replace(",", "")
        if re.fullmatch(r"-?[\d,]+(\.\d+)?", row[column])
        else row[column]
    )
    if not raw:
        if required:
            raise RowError(column, "is required")
        return None
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise RowError(column, f"{row[column]!r} is not a number") from None
    if not value.is_finite() or -int(value.as_tuple().exponent) > places:
        raise RowError(column, f"{row[column]!r}: at most {places} decimal places")
    return value


def cell_date(row: Row, column: str, *, required: bool = True) -> datetime.date | None:
    raw = row[column]
    if not raw:
        if required:
            raise RowError(column, "is required (YYYY-MM-DD)")
        return None
    try:
        return datetime.date.fromisoformat(raw[:10])
    except ValueError:
        raise RowError(column, f"{raw!r} is not a date (YYYY-MM-DD)") from None


def cell_int(row: Row, column: str, *, required: bool = True) -> int | None:
    raw = row[column]
    if not raw:
        if required:
            raise RowError(column, "is required")
        return None
    try:
        return int(raw)
    except ValueError:
        raise RowError(column, f"{raw!r} is not a whole number") from None


def cell_bool(row: Row, column: str) -> bool:
    raw = row[column].lower()
    if raw in ("", "0", "no", "false", "n"):
        return False
    if raw in ("1", "yes", "true", "y"):
        return True
    raise RowError(column, f"{row[column]!r} is not yes/no")


def cell_required(row: Row, column: str) -> str:
    if not row[column]:
        raise RowError(column, "is required")
    return row[column]


# --- Importers and the run ---------------------------------------------------------------


class TableImporter:
    """One kind of master data. Subclasses set the class attributes and `plan_row`."""

    kind: str = ""
    columns: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    example: tuple[str, ...] = ()
    description: str = ""

    def plan_row(self, row: Row, plan: Plan) -> None:
        raise NotImplementedError

    def template(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(self.columns)
        writer.writerow(self.example)
        return out.getvalue()

    def plan(self, table: Table, *, create_missing: bool) -> Plan:
        plan = Plan(table.file, create_missing)
        missing = [c for c in self.columns if c not in table.header and c not in self.optional]
        if missing:
            plan.bad("header", f"missing columns: {', '.join(missing)}", row=1)
            return plan
        for row in table.rows:
            plan.row = row.number
            try:
                self.plan_row(row, plan)
            except RowError as exc:
                plan.bad(exc.column, exc.message)
        if not table.rows:
            plan.bad("", "no data rows below the header", row=1)
        return plan


REGISTRY: dict[str, TableImporter] = {}


def register(importer: type[TableImporter]) -> type[TableImporter]:
    REGISTRY[importer.kind] = importer()
    return importer


@cache
def _discover() -> None:
    """Imports every app's `imports` module (in INSTALLED_APPS order), which registers its
    importers and commands."""
    autodiscover_modules("imports")


def importers() -> dict[str, TableImporter]:
    """Every registered table importer by kind, in INSTALLED_APPS order."""
    _discover()
    return REGISTRY


@dataclass
class ImportResult:
    kind: str
    file: str
    problems: list[Problem]
    changes: list[Change]
    written: bool

    def count(self, action: str) -> int:
        return sum(1 for c in self.changes if c.action == action)

    @property
    def summary(self) -> str:
        counts = ", ".join(f"{self.count(a)} {a}" for a in ("create", "update", "unchanged"))
        return counts.replace("create", "created").replace("update", "updated")


def import_file(
    *,
    actor: User | None,
    kind: str,
    name: str,
    data: bytes,
    create_missing: bool = False,
    dry_run: bool = False,
) -> ImportResult:
    """Checks the whole file, then writes it in one transaction, or writes nothing.
    Raises Unreadable when the file is not a table at all."""
    require(actor, Capability.IMPORT_DATA)
    importer = importers()[kind]
    table = read_table(name, data)
    plan = importer.plan(table, create_missing=create_missing)
    result = ImportResult(kind, name, plan.problems, plan.changes, written=False)
    if plan.problems or dry_run:
        return result
    _write(actor, importer, plan, result)
    return result


def _write(actor: User | None, importer: TableImporter, plan: Plan, result: ImportResult) -> None:
    with transaction.atomic():
        for change in plan.changes:
            if change.apply is None:
                continue
            try:
                change.apply(actor)
            except ValidationError as exc:
                result.problems += list(_service_problems(plan.file, change.row, exc))
        if result.problems:
            transaction.set_rollback(True)
            return
        if any(c.action != "unchanged" for c in plan.changes):
            audit_record(
                actor=actor,
                event=Event.DATA_IMPORTED,
                payload={"kind": importer.kind, "file": plan.file, "summary": result.summary},
            )
        result.written = True


def _service_problems(file: str, row: int, exc: ValidationError) -> Iterator[Problem]:
    if hasattr(exc, "error_dict"):
        for column, messages in exc.message_dict.items():
            for message in messages:
                yield Problem(file, row, "" if column == "__all__" else column, message)
    else:
        for message in exc.messages:
            yield Problem(file, row, "", message)


# --- Other import commands ----------------------------------------------------------------


@dataclass(frozen=True)
class CommandSpec:
    """A `legalops import NAME ...` subcommand that is not a table (LEDES files, invoice
    history): it adds its own arguments and returns the exit code of spec/cli.md."""

    help: str
    add_arguments: Callable[[Any], None]
    run: Callable[[dict[str, Any], Any, Any], int]  # options, stdout, stderr -> exit code


COMMANDS: dict[str, CommandSpec] = {}


def register_command(name: str, spec: CommandSpec) -> None:
    COMMANDS[name] = spec


def commands() -> dict[str, CommandSpec]:
    """Every registered import command by name (after the apps' `imports` modules)."""
    _discover()
    return COMMANDS
