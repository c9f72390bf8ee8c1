"""A progress line on stderr for long seeding runs (quiet when stderr is not a terminal)."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    def __init__(self, stream: TextIO | None = None, *, enabled: bool | None = None) -> None:
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.started = time.monotonic()

    def step(self, label: str, done: int, total: int) -> None:
        if not self.enabled or total <= 0:
            return
        width = 30
        filled = int(width * done / total)
        bar = "#" * filled + "-" * (width - filled)
        elapsed = time.monotonic() - self.started
        self.stream.write(f"\r{label:<24} [{bar}] {done}/{total} {elapsed:6.1f}s")
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()
