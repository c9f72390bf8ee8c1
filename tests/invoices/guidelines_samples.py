"""Guidelines files and the frozen day shared by the guidelines-management tests (services,
pages and API)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

import pytest
import time_machine

# Acme's first version: one rule changed from the shipped defaults.
ACME = """[guidelines]
name = "Acme OCG"
version = "2026.1"
effective = 2026-01-01

[rules.daily-hours-cap]
action = "hold"
max_hours = 10
"""

# Northwind's published guidelines of the e-billing tests: block billing halved, vague
# descriptions held.
NORTHWIND = b"""
[guidelines]
name = "Northwind Outside Counsel Guidelines"
version = "2026.1"
effective = 2026-01-01
currency = "USD"

[rules.block-billing]
action = "reduce"
reduce_percent = 50

[rules.vague-description]
action = "hold"
"""


@pytest.fixture
def june_15_2026() -> Iterator[None]:
    """Today is 2026-06-15 (after ACME's effective date), frozen."""
    with time_machine.travel(datetime.datetime(2026, 6, 15, 12, tzinfo=datetime.UTC), tick=False):
        yield
