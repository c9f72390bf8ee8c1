"""Rate cards: the RATES.csv of spec/cli.md, validated, and the look-up the rate rules use.

Precedence when several rows could apply to a line (documented in docs/guidelines.md): rows
scoped to the line's matter win over firm-wide rows; within a scope a row for the timekeeper
wins over a row for the classification. Timekeepers match by TIMEKEEPER_ID, falling back to the
normalised name when no row carries that id.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from legalops.guidelines.errors import ConfigError, Problem
from legalops.guidelines.money import is_currency, parse_decimal, places
from legalops.guidelines.records import RateEntry

COLUMNS = (
    "law_firm_id",
    "timekeeper_id",
    "timekeeper_name",
    "classification",
    "rate",
    "currency",
    "effective_from",
    "effective_to",
)
MATTER_COLUMN = "client_matter_id"
_PUNCTUATION = re.compile(r"[^\w\s]")
# Callback the row checks report through: bad(column, message).
_Bad = Callable[[str, str], None]


@lru_cache(maxsize=4096)
def normalise_name(name: str) -> str:
    """Case-insensitive, punctuation-free, "Last, First" read as "First Last"."""
    last, comma, first = name.partition(",")
    ordered = f"{first} {last}" if comma else name
    return " ".join(_PUNCTUATION.sub("", ordered.lower()).split())


@dataclass(frozen=True, slots=True)
class RateMatch:
    entry: RateEntry
    basis: str  # "timekeeper id", "timekeeper name" or "classification"


class RateBook:
    """Approved rates indexed for look-up by firm, timekeeper, classification and date."""

    def __init__(self, entries: Iterable[RateEntry]) -> None:
        self.entries = tuple(entries)
        self._by_id: dict[tuple[str, str], list[RateEntry]] = defaultdict(list)
        self._by_name: dict[tuple[str, str], list[RateEntry]] = defaultdict(list)
        self._by_class: dict[tuple[str, str], list[RateEntry]] = defaultdict(list)
        self.firms: set[str] = set()
        for entry in self.entries:
            self._index(entry)

    def _index(self, entry: RateEntry) -> None:
        firm = entry.law_firm_id
        self.firms.add(firm)
        if entry.timekeeper_id:
            self._by_id[firm, entry.timekeeper_id].append(entry)
            self._by_name[firm, normalise_name(entry.timekeeper_name)].append(entry)
        else:
            self._by_class[firm, entry.classification.upper()].append(entry)

    def firm_currency(self, firm: str) -> str | None:
        """The firm's currency when every one of its rows agrees on one."""
        found = {entry.currency for entry in self.entries if entry.law_firm_id == firm}
        return found.pop() if len(found) == 1 else None

    def rows_for(self, firm: str, tk_id: str, tk_name: str, classification: str) -> list[RateMatch]:
        """Every row that could apply to this timekeeper, most specific basis first."""
        personal = [RateMatch(e, "timekeeper id") for e in self._by_id.get((firm, tk_id), [])]
        if not personal and tk_name:
            by_name = self._by_name.get((firm, normalise_name(tk_name)), [])
            personal = [RateMatch(e, "timekeeper name") for e in by_name]
        by_class = self._by_class.get((firm, classification.upper()), [])
        return personal + [RateMatch(e, "classification") for e in by_class]

    def lookup(
        self, firm: str, matter: str, tk: tuple[str, str, str], day: date
    ) -> RateMatch | None:
        """The approved rate effective on `day` for timekeeper `tk` = (id, name, class)."""
        rows = [m for m in self.rows_for(firm, *tk) if m.entry.covers(day)]
        for scoped in (True, False):
            for match in rows:
                if (
                    (match.entry.client_matter_id == matter)
                    if scoped
                    else not match.entry.client_matter_id
                ):
                    return match
        return None

    def applicable(self, firm: str, matter: str, tk: tuple[str, str, str]) -> list[RateMatch]:
        """Rows for this timekeeper at the firm that are firm-wide or scoped to `matter`."""
        rows = self.rows_for(firm, *tk)
        return [m for m in rows if m.entry.client_matter_id in ("", matter)]

    def class_rate(
        self, firm: str, matter: str, classification: str, day: date
    ) -> RateEntry | None:
        """The classification-wide rate (used to price work done below a timekeeper's level)."""
        rows = [e for e in self._by_class.get((firm, classification.upper()), []) if e.covers(day)]
        rows.sort(key=lambda e: e.client_matter_id != matter)
        return next((e for e in rows if e.client_matter_id in ("", matter)), None)


def load_rates(path: str | Path) -> RateBook:
    """Read and validate RATES.csv; raises ConfigError naming file, line and column."""
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError([Problem(str(path), None, "", f"cannot read rates file: {exc}")]) from exc
    return parse_rates(text, str(path))


def parse_rates(text: str, filename: str = "RATES.csv") -> RateBook:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        return _parse_rows(reader, filename)
    except csv.Error as exc:  # e.g. an unterminated quote
        raise ConfigError(
            [Problem(filename, reader.line_num or 1, "row", f"not valid CSV: {exc}")]
        ) from exc


def _parse_rows(reader: Iterator[list[str]], filename: str) -> RateBook:
    header = [name.strip() for name in next(reader, [])]
    if tuple(header) not in (COLUMNS, (*COLUMNS, MATTER_COLUMN)):
        expected = ",".join(COLUMNS) + "[," + MATTER_COLUMN + "]"
        raise ConfigError([Problem(filename, 1, "header", f"expected columns {expected}")])
    problems: list[Problem] = []
    entries: list[RateEntry] = []
    for row in reader:
        if not any(cell.strip() for cell in row):
            continue
        line = getattr(reader, "line_num", 0)
        entry = _row_entry(row, header, line, filename, problems)
        if entry is not None:
            entries.append(entry)
    problems.extend(_overlaps(entries, filename))
    if problems:
        raise ConfigError(problems)
    return RateBook(entries)


def _row_entry(
    row: list[str], header: list[str], line: int, filename: str, problems: list[Problem]
) -> RateEntry | None:
    if len(row) != len(header):
        problems.append(
            Problem(filename, line, "row", f"expected {len(header)} columns, got {len(row)}")
        )
        return None
    cells = {name: value.strip() for name, value in zip(header, row, strict=True)}
    before = len(problems)

    def bad(column: str, message: str) -> None:
        problems.append(Problem(filename, line, column, message))

    rate = _rate(cells["rate"], bad)
    start = _date(cells["effective_from"], "effective_from", bad, required=True)
    end = _date(cells["effective_to"], "effective_to", bad, required=False)
    _check_identity(cells, bad)
    if not is_currency(cells["currency"]):
        bad("currency", f"{cells['currency']!r} is not an ISO 4217 currency code")
    if start and end and end < start:
        bad("effective_to", f"{end} is before effective_from {start}")
    if len(problems) > before or rate is None or start is None:
        return None
    return RateEntry(
        law_firm_id=cells["law_firm_id"],
        timekeeper_id=cells["timekeeper_id"],
        timekeeper_name=cells["timekeeper_name"],
        classification=cells["classification"].upper(),
        rate=rate,
        currency=cells["currency"],
        effective_from=start,
        effective_to=end,
        client_matter_id=cells.get(MATTER_COLUMN, ""),
        source_line=line,
    )


def _check_identity(cells: dict[str, str], bad: _Bad) -> None:
    if not cells["law_firm_id"]:
        bad("law_firm_id", "is empty")
    if not cells["timekeeper_id"] and not cells["classification"]:
        bad("classification", "a row without timekeeper_id needs a classification")


def _rate(text: str, bad: _Bad) -> Decimal | None:
    value = parse_decimal(text)
    if value is None or value <= 0:
        bad("rate", f"expected a positive decimal, got {text!r}")
        return None
    if places(value) > 4:
        bad("rate", f"at most 4 decimal places, got {text!r}")
        return None
    return value


def _date(text: str, column: str, bad: _Bad, *, required: bool) -> date | None:
    if not text:
        if required:
            bad(column, "is empty")
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        bad(column, f"expected an ISO date such as 2026-01-31, got {text!r}")
        return None


def _overlaps(entries: list[RateEntry], filename: str) -> list[Problem]:
    groups: dict[tuple[str, str, str, str], list[RateEntry]] = defaultdict(list)
    for e in entries:
        who = e.timekeeper_id or ""
        groups[e.law_firm_id, who, "" if who else e.classification, e.client_matter_id].append(e)
    problems = []
    for rows in groups.values():
        rows.sort(key=lambda e: e.effective_from)
        for earlier, later in zip(rows, rows[1:], strict=False):
            if earlier.effective_to is None or later.effective_from <= earlier.effective_to:
                message = (
                    f"dates overlap the row on line {earlier.source_line} for the same firm, "
                    f"{_who(later)} and matter scope"
                )
                problems.append(Problem(filename, later.source_line, "effective_from", message))
    return problems


def _who(entry: RateEntry) -> str:
    return (
        f"timekeeper {entry.timekeeper_id}"
        if entry.timekeeper_id
        else f"classification {entry.classification}"
    )
