"""Precision, recall and F1 of a narrative classifier against labelled narratives.

Used by `bench/guidelines_quality.py` and the quality tests; any classifier implementing
`NarrativeClassifier` can be scored the same way. `work-below-level` is judged as the rule
judges it: the cue's level against the line's classification (default guidelines).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from legalops.guidelines.narrative.model import NarrativeClassifier, NarrativeContext
from legalops.guidelines.narrative.roster import Roster

NARRATIVE_RULES = (
    "block-billing",
    "vague-description",
    "clerical-work",
    "internal-conference",
    "learning-curve",
    "billing-administration",
    "legal-research",
    "non-working-travel",
    "work-below-level",
    "multiple-attendance",
    "luxury-travel",
)


@dataclass(frozen=True, slots=True)
class Example:
    narrative: str
    kind: str
    classification: str
    roster: tuple[str, ...]
    labels: frozenset[str]  # rules expected to fire
    rules: tuple[str, ...] = NARRATIVE_RULES  # rules this example is evidence for


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def predicted(
    classifier: NarrativeClassifier,
    example: Example,
    lawyers: Iterable[str],
    seniors: Iterable[str],
) -> set[str]:
    context = NarrativeContext(example.kind, "", Roster.of(example.roster))
    found = classifier.analyse(example.narrative, context)
    labels = set(found.cues)
    level = found.cues.get("work-below-level")
    if level is not None:
        holders = lawyers if level.note in ("clerical", "paralegal") else seniors
        if example.classification not in set(holders):
            labels.discard("work-below-level")
    return labels


def score(
    classifier: NarrativeClassifier,
    examples: Iterable[Example],
    lawyers: Iterable[str],
    seniors: Iterable[str],
) -> dict[str, Score]:
    scores = {rule: Score() for rule in NARRATIVE_RULES}
    lawyers, seniors = tuple(lawyers), tuple(seniors)
    for example in examples:
        got = predicted(classifier, example, lawyers, seniors)
        for rule in example.rules:
            hit, want = rule in got, rule in example.labels
            scores[rule].tp += hit and want
            scores[rule].fp += hit and not want
            scores[rule].fn += want and not hit
    return scores


def labelled_set(path: Path, split: str) -> list[Example]:
    """tests/guidelines/data/narratives.csv rows of one split ("train" or "test")."""
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            Example(
                row["narrative"],
                row["kind"],
                row["classification"],
                tuple(name.strip() for name in row["roster"].split(";") if name.strip()),
                frozenset(label for label in row["labels"].split(";") if label),
            )
            for row in csv.DictReader(handle)
            if row["split"] == split
        ]


def reference_set(path: Path) -> list[Example]:
    """tests/guidelines/data/reference_narratives.csv: each row is evidence for one rule only."""
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            Example(
                row["narrative"],
                row["kind"],
                row["classification"],
                (),
                frozenset([row["rule"]] if row["expected"] == "1" else []),
                (row["rule"],),
            )
            for row in csv.DictReader(handle)
        ]
