"""State shared by the seeding steps of one run."""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import models

from legalops.seed.progress import Progress
from legalops.seed.scales import Scale

M = TypeVar("M", bound=models.Model)
BATCH = 2000


@dataclass
class SeedContext:
    scale: Scale
    seed: int
    today: datetime.date
    progress: Progress
    rng: random.Random = field(init=False)
    counts: dict[str, int] = field(default_factory=dict)
    # Objects later steps hang data on (firms for users, units for matters...).
    shared: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)

    def bulk(self, label: str, model: type[M], rows: Sequence[M]) -> list[M]:
        """Bulk-inserts in batches with progress; returns the rows (with pks on both
        databases: SQLite >= 3.35 and PostgreSQL return ids from bulk_create)."""
        created: list[M] = []
        for start in range(0, len(rows), BATCH):
            created += model._default_manager.bulk_create(rows[start : start + BATCH])
            self.progress.step(label, min(start + BATCH, len(rows)), len(rows))
        self.counts[label] = self.counts.get(label, 0) + len(created)
        return created

    def pick(self, items: Sequence[Any]) -> Any:
        return items[self.rng.randrange(len(items))]

    def sample(self, items: Iterable[Any], k: int) -> list[Any]:
        pool = list(items)
        return self.rng.sample(pool, min(k, len(pool)))
