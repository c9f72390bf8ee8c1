"""The approved rate changes of the rate cards (`reports.models.RateChange`), which the rate
change KPIs average.

A change is a pair of consecutive approved firm-wide rates of one rate-card line: a firm's
timekeeper, or a firm's classification without a timekeeper (matter-specific rates are not
the card). Consecutive means ordered by effective date, then by row (a second row of the same
day is a correction: it pairs with what follows, but is not itself a change). Two rates in
different currencies are not a change of price.

The vendors services that write a rate call `refresh_line(rate)` in their transaction: it
recomputes every change of that line, because a rate inserted between two others (a backdated
one) re-pairs its neighbours. The seed, `legalops rollups rebuild` and migration reports.0008
call `rebuild()`.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Count, QuerySet, Sum

from legalops.reports.models import RateChange
from legalops.reports.selectors import bucket_of
from legalops.vendors import impact
from legalops.vendors.models import LawFirm, Rate

# The largest |hundredths of a percent| kept in the summed columns: a sum of ten million of
# them stays far inside a 64-bit integer, which SQLite's SUM() needs (it raises on overflow).
SUMMABLE = 10**12
_HUNDRED = Decimal(100)
_FIELDS = ("pk", "firm_id", "timekeeper_id", "classification", "rate", "currency", "effective_from")


def annualised_pct(
    prior: Decimal, new: Decimal, prior_from: datetime.date, new_from: datetime.date
) -> Decimal | None:
    """`impact.annualised_pct` (Decimal, 28 digits: about 60 us when the exponent 365 / days
    is not whole, e.g. over a leap year; tens of thousands of rates at five years of a large
    panel). Binary floating point finds the same 2-place percentage in well under a
    microsecond; the Decimal computation runs only when the float result lies so close to a
    rounding boundary (1e-6 of a hundredth of a percent) that binary error could tip it, so
    the result is always the Decimal one."""
    days = (new_from - prior_from).days
    if days > 0 and 365 % days:
        try:
            factor = (float(new) / float(prior)) ** (365 / days)
        except OverflowError:  # far beyond 28 digits: impact gives no figure either
            return None
        hundredths = (factor - 1) * 10_000
        if abs(hundredths) < 1e9 and abs(hundredths - math.floor(hundredths) - 0.5) > 1e-6:
            return Decimal(math.floor(hundredths + 0.5)).scaleb(-2)
    return impact.annualised_pct(prior, new, prior_from, new_from)


def _hundredths(pct: Decimal | None) -> int | None:
    return None if pct is None else int(pct.scaleb(2))


def derive(rows: Iterable[tuple[Any, ...]]) -> Iterator[RateChange]:
    """The changes among `rows` (`_FIELDS` of firm-wide rates, ordered by effective date and
    row; any number of lines)."""
    prior: dict[tuple[Any, ...], tuple[Decimal, str, datetime.date]] = {}
    for pk, firm_id, timekeeper_id, classification, rate, currency, effective in rows:
        line = (firm_id, timekeeper_id, None if timekeeper_id else classification)
        before = prior.get(line)
        prior[line] = (rate, currency, effective)
        if before is None or before[1] != currency or before[2] == effective:
            continue
        change = impact.change_pct(before[0], rate)
        annualised = annualised_pct(before[0], rate, before[2], effective)
        sums = (_hundredths(change), _hundredths(annualised))
        large = ""
        if any(value is not None and abs(value) >= SUMMABLE for value in sums):
            large, sums = f"{change}|{'' if annualised is None else annualised}", (None, None)
        yield RateChange(
            rate_id=pk,
            firm_id=firm_id,
            bucket=bucket_of(classification),
            effective_from=effective,
            month=effective.replace(day=1),
            change_h=sums[0],
            annualised_h=sums[1],
            large=large,
        )


def _card(rates: QuerySet[Rate]) -> list[tuple[Any, ...]]:
    ordered = rates.filter(matter__isnull=True).order_by("effective_from", "pk")
    return list(ordered.values_list(*_FIELDS))


def refresh_line(rate: Rate) -> None:
    """Recomputes the changes of `rate`'s rate-card line (call inside the transaction that
    wrote it). On PostgreSQL the firm's row is locked first, so that two transactions
    changing one card recompute it one after the other, the second seeing the first's rate."""
    if rate.matter_id is not None:
        return
    if connection.vendor == "postgresql":
        LawFirm.objects.select_for_update().filter(pk=rate.firm_id).exists()
    line = Rate.objects.filter(firm_id=rate.firm_id)
    if rate.timekeeper_id is not None:
        line = line.filter(timekeeper_id=rate.timekeeper_id)
    else:
        line = line.filter(timekeeper__isnull=True, classification=rate.classification)
    rows = _card(line)
    RateChange.objects.filter(rate_id__in=[row[0] for row in rows]).delete()
    RateChange.objects.bulk_create(derive(rows), batch_size=2000)


def rebuild() -> int:
    """Every change from scratch; returns how many there are."""
    RateChange.objects.all().delete()
    return len(RateChange.objects.bulk_create(derive(_card(Rate.objects.all())), batch_size=2000))


@dataclass
class Sums:
    """The changes of one group: totals in percent and how many have a figure."""

    change: Decimal = Decimal(0)
    changes: int = 0
    annualised: Decimal = Decimal(0)
    annualised_count: int = 0


_GROUP_FIELD = {"firm": "firm_id", "classification": "bucket", "month": "month"}


def sums(
    *,
    date_from: datetime.date | None,
    date_to: datetime.date | None,
    firm_ids: tuple[int, ...] = (),
    group: str | None = None,
) -> dict[Any, Sums]:
    """The changes that took effect in [date_from, date_to] (either open), of the given firms
    (all when empty), summed per `group` ("firm": firm id, "classification": bucket,
    "month": first day of the month; None: one group keyed None). One grouped SQL query, and
    a Python pass over the rare changes too large to sum in SQL."""
    rows = RateChange.objects.all()
    if date_from is not None:
        rows = rows.filter(effective_from__gte=date_from)
    if date_to is not None:
        rows = rows.filter(effective_from__lte=date_to)
    if firm_ids:
        rows = rows.filter(firm_id__in=firm_ids)
    field = _GROUP_FIELD.get(group or "")
    measures = {
        "c": Sum("change_h"),
        "cn": Count("change_h"),
        "a": Sum("annualised_h"),
        "an": Count("annualised_h"),
    }
    totals = (
        list(rows.order_by().values(field).annotate(**measures))
        if field
        else [rows.aggregate(**measures)]
    )
    found: dict[Any, Sums] = {}
    for row in totals:
        if row["cn"] or row["an"]:
            found[row[field] if field else None] = Sums(
                Decimal(row["c"] or 0).scaleb(-2),
                row["cn"],
                Decimal(row["a"] or 0).scaleb(-2),
                row["an"],
            )
    for row in rows.exclude(large="").values(*([field] if field else []), "large"):
        group_sums = found.setdefault(row[field] if field else None, Sums())
        change, annualised = row["large"].split("|")
        group_sums.change += Decimal(change)  # a rate is positive: always a figure
        group_sums.changes += 1
        if annualised:
            group_sums.annualised += Decimal(annualised)
            group_sums.annualised_count += 1
    return found
