"""Database upkeep after bulk writes."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection
from django.db.models import Model


def refresh_planner_statistics(models: Iterable[type[Model]] = ()) -> None:
    """After a bulk load or rebuild (the seed, `legalops rollups rebuild`): on PostgreSQL,
    VACUUM ANALYZE the tables of `models` (every table when none are given), so that the
    query planner knows their new sizes and the visibility map allows index-only scans at
    once, instead of whenever autovacuum gets to them (never, where it is off, as on CI
    servers). About 5 s for the whole large seed. Inside a transaction (a caller's, or a
    test's) only ANALYZE, which can run there. SQLite is left without statistics: `ANALYZE`
    there made the planner pick worse plans for the drill-down (35 ms -> 1.1 s at large
    scale)."""
    if connection.vendor != "postgresql":
        return
    tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in models)
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
    with connection.cursor() as cursor:
        cursor.execute(f"{command} {tables}".strip())
