"""What has been spent on a matter: a pluggable *spend source*.

Budgets (consumption, alerts) and forecasts (actuals) need approved invoice amounts, which the
invoices app will provide. Until it registers its source (`spend_source_register`) nothing has
been spent, and the pages say that no invoices exist yet rather than show a false 0% burn.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Spend:
    """Approved spend of one firm on one matter in a period, in `currency`: the total and the
    part per UTBMS phase (L100, L200...; work without a task code is only in the total)."""

    currency: str
    total_minor: int = 0
    by_phase: dict[str, int] = field(default_factory=dict)


# (matter pks, first day, last day) -> {(matter pk, firm pk): Spend}; missing keys spent nothing.
SpendSource = Callable[[Sequence[int], datetime.date, datetime.date], dict[tuple[int, int], Spend]]


def _nothing_spent(
    matter_ids: Sequence[int], start: datetime.date, end: datetime.date
) -> dict[tuple[int, int], Spend]:
    return {}


_source: list[SpendSource] = [_nothing_spent]


def spend_source_register(source: SpendSource) -> None:
    """Called once by the app that knows approved spend (the invoices app)."""
    _source[0] = source


def spend_source_reset() -> None:
    _source[0] = _nothing_spent


def spend_known() -> bool:
    """False until a real source is registered: pages then say no invoices exist yet."""
    return _source[0] is not _nothing_spent


def spent(
    *, matter_ids: Sequence[int], start: datetime.date, end: datetime.date
) -> dict[tuple[int, int], Spend]:
    """Spend per (matter, firm) between `start` and `end` inclusive, in one query batch."""
    if not matter_ids:
        return {}
    return _source[0](list(matter_ids), start, end)
