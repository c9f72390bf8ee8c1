"""Multiple attendance: more than `max_attendees` timekeepers billing one event on one day
(STF-01: N=1 [NFT-LIB] [HART-BG] [NFT-AMT]; events from the narratives, §2.7 [BF-FLAGS]).
The lines of the most senior attendees (highest rate; ties: first in the file) are kept."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from decimal import Decimal

from legalops.guidelines.narrative import Event
from legalops.guidelines.params import Param, RuleSettings
from legalops.guidelines.records import FEE
from legalops.guidelines.rules.base import Finding, Rule, Run, timekeeper_key, who
from legalops.guidelines.rules.narrative import REDUCIBLE, TERMS, percent_reduction


class MultipleAttendance(Rule):
    id = "multiple-attendance"
    actions = REDUCIBLE
    params = {**TERMS, "max_attendees": Param("int"), "reduce_percent": Param("percent")}

    def check(self, run: Run, settings: RuleSettings) -> Iterator[Finding]:
        limit = max(1, settings.integer("max_attendees"))
        for group in self._groups(run, settings):
            people = {timekeeper_key(run.invoice.lines[i]) for i, _ in group}
            if len(people) > limit:
                yield from self._flag(run, group, limit, settings)

    def _groups(self, run: Run, settings: RuleSettings) -> list[list[tuple[int, Event]]]:
        """Lines per day that record the same event (same kind, shared naming words)."""
        ignore = settings.strings("ignore_terms")
        by_day: dict[date, list[list[tuple[int, Event]]]] = defaultdict(list)
        lines = run.invoice.lines
        for index in run.by_cue.get(self.id, []):
            line, event = lines[index], run.findings[index].event
            if event is None or line.kind != FEE or line.date is None:
                continue
            if ignore and any(t in line.narrative.lower() for t in ignore):
                continue
            groups = by_day[line.date]
            home = next((g for g in groups if any(event.same_as(e) for _, e in g)), None)
            if home is None:
                groups.append([(index, event)])
            else:
                home.append((index, event))
        return [group for groups in by_day.values() for group in groups]

    def _flag(
        self, run: Run, group: list[tuple[int, Event]], limit: int, settings: RuleSettings
    ) -> Iterator[Finding]:
        lines = run.invoice.lines
        ranked = sorted(
            group, key=lambda item: (-(lines[item[0]].unit_cost or Decimal(0)), item[0])
        )
        kept: list[str] = []
        kept_lines: set[int] = set()
        for index, _ in ranked:
            key = timekeeper_key(lines[index])
            if key in kept or len(kept) < limit:
                if key not in kept:
                    kept.append(key)
                kept_lines.add(index)
        names = sorted({who(lines[i]) for i, _ in group})
        event = group[0][1]
        first = lines[group[0][0]]
        message = (
            f"{len(names)} timekeepers billed the same {event.kind} on {first.date} "
            f"(limit {limit}): {'; '.join(names)}"
        )
        for index, found in group:
            if index not in kept_lines:
                evidence = {
                    "event": found.words,
                    "date": str(first.date),
                    "timekeepers": names,
                    "kept": [lines[i].number for i in sorted(kept_lines)],
                }
                yield Finding(index, message, evidence, percent_reduction(settings))
