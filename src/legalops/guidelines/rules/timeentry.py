"""Time-entry rules: increments, daily totals, long single entries.
Defaults and sources: default.toml (TIME-01, TIME-04, TIME-05)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from decimal import Decimal

from legalops.guidelines.money import floor_to, fmt_number
from legalops.guidelines.params import Param, RuleSettings
from legalops.guidelines.records import FEE, Line
from legalops.guidelines.rules.base import (
    Finding,
    Reduction,
    Rule,
    Run,
    hours,
    line_evidence,
    target_reduction,
    timekeeper_key,
    who,
)

_REDUCE = ("warn", "hold", "reduce", "reject-line", "reject-invoice")


def excess_reduction(line: Line, excess: Decimal) -> Reduction | None:
    """Take `excess` hours off the line at its own rate (a cap reduction)."""
    if line.units is None or line.unit_cost is None or excess <= 0:
        return None
    return target_reduction(line, line.unit_cost, line.units - min(excess, line.units))


class TimeIncrement(Rule):
    id = "time-increment"
    actions = _REDUCE
    params = {"increment": Param("number")}

    def check(self, run: Run, settings: RuleSettings) -> Iterator[Finding]:
        step = settings.decimal("increment")
        if step <= 0:
            return
        for index, line in run.lines(FEE):
            if line.units is not None and line.units % step:
                down = floor_to(line.units, step)
                message = (
                    f"{hours(line.units)} h is not a multiple of {fmt_number(step)} h (rounded "
                    f"down: {hours(down)} h)"
                )
                reduction = excess_reduction(line, line.units - down)
                yield Finding(
                    index, message, line_evidence(line, "LINE_ITEM_NUMBER_OF_UNITS"), reduction
                )


class DailyHoursCap(Rule):
    id = "daily-hours-cap"
    actions = _REDUCE
    params = {"max_hours": Param("number")}

    def check(self, run: Run, settings: RuleSettings) -> Iterator[Finding]:
        cap = settings.decimal("max_hours")
        days: dict[tuple[str, date], list[int]] = defaultdict(list)
        for index, line in run.lines(FEE):
            if line.date is not None and line.units is not None:
                days[timekeeper_key(line), line.date].append(index)
        lines = run.invoice.lines
        for indexes in days.values():
            # Most days are far below the cap: add their hours before building anything.
            if len(indexes) == 1:
                units = lines[indexes[0]].units
                if units is not None and units <= cap:
                    continue
            yield from self._day(run, indexes, cap)

    def _day(self, run: Run, indexes: list[int], cap: Decimal) -> Iterator[Finding]:
        lines = [run.invoice.lines[i] for i in indexes]
        total = sum((line.units or Decimal(0) for line in lines), Decimal(0))
        if total <= cap:
            return
        first = lines[0]
        message = (
            f"{who(first)} billed {hours(total)} h on {first.date} across {len(lines)} line(s) "
            f"(cap {fmt_number(cap)} h)"
        )
        evidence = {
            "timekeeper": first.timekeeper_name or first.timekeeper_id,
            "date": str(first.date),
            "day_hours": fmt_number(total),
            "max_hours": fmt_number(cap),
            "lines": [line.number for line in lines],
        }
        running = Decimal(0)
        for index, line in zip(indexes, lines, strict=True):
            before, running = running, running + (line.units or Decimal(0))
            # The hours past the cap come off the day's last lines, in file order.
            excess = running - max(cap, before)
            yield Finding(index, message, evidence, excess_reduction(line, excess))


class LongEntry(Rule):
    id = "long-entry"
    actions = _REDUCE
    params = {"max_hours": Param("number")}

    def check(self, run: Run, settings: RuleSettings) -> Iterator[Finding]:
        cap = settings.decimal("max_hours")
        for index, line in run.lines(FEE):
            if line.units is not None and line.units > cap:
                message = f"single entry of {hours(line.units)} h (limit {fmt_number(cap)} h)"
                yield Finding(
                    index,
                    message,
                    line_evidence(line, "LINE_ITEM_NUMBER_OF_UNITS"),
                    excess_reduction(line, line.units - cap),
                )
