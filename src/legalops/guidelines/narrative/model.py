"""What a narrative classifier returns, and the interface any classifier implements.

The rule-based classifier (detect.py) is the only one today; a statistical classifier can be
added behind `NarrativeClassifier` later (it must then also return the words behind each cue,
because every flag shows its evidence).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple, Protocol

from legalops.guidelines.narrative.roster import EMPTY_ROSTER, Roster


class NarrativeContext(NamedTuple):
    """What besides the text a classifier may use."""

    kind: str = "F"  # "F" fee or "E" expense
    activity_code: str = ""
    roster: Roster = EMPTY_ROSTER  # the invoice's timekeepers


class Cue(NamedTuple):
    words: tuple[str, ...]  # the words (or task clauses) in the narrative that fired
    note: str = ""


class Event(NamedTuple):
    """An attended event: kind ("deposition", "hearing", "meeting"...) and the words naming it."""

    kind: str
    key: frozenset[str]
    words: str

    def same_as(self, other: Event) -> bool:
        return self.kind == other.kind and (
            not self.key or not other.key or bool(self.key & other.key)
        )


class NarrativeFindings(NamedTuple):
    cues: Mapping[str, Cue]  # by narrative rule id
    tasks: tuple[str, ...]  # task clauses found (block billing's evidence)
    event: Event | None
    approval: str  # an approval reference ("approved by"), or ""


class NarrativeClassifier(Protocol):
    name: str

    def analyse(self, narrative: str, context: NarrativeContext) -> NarrativeFindings: ...
