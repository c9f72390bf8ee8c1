"""Precision, recall and F1 of the narrative rules on the frozen test split of the labelled set
(tests/guidelines/data/narratives.csv, split=test, never used for tuning) and on the example
narratives quoted in reference/billing-guidelines.md §2
(tests/guidelines/data/reference_narratives.csv).

    python bench/guidelines_quality.py            # test split and reference set
    python bench/guidelines_quality.py --train    # also the train split (what tuning saw)
"""

from __future__ import annotations

import sys
from pathlib import Path

from legalops.guidelines.config import default_guidelines
from legalops.guidelines.narrative import RuleBasedClassifier
from legalops.guidelines.narrative.evaluate import (
    NARRATIVE_RULES,
    Example,
    labelled_set,
    reference_set,
    score,
)

DATA = Path(__file__).resolve().parent.parent / "tests" / "guidelines" / "data"


def report(title: str, examples: list[Example]) -> None:
    settings = default_guidelines().settings_for()["work-below-level"]
    lawyers, seniors = (
        settings.strings("lawyer_classifications"),
        settings.strings("senior_classifications"),
    )
    scores = score(RuleBasedClassifier(), examples, lawyers, seniors)
    print(f"\n{title} ({len(examples)} narratives)")
    print(f"{'rule':24} {'P':>5} {'R':>5} {'F1':>5}  tp fp fn")
    for rule in NARRATIVE_RULES:
        s = scores[rule]
        if not any(rule in example.rules for example in examples):
            continue  # the reference set quotes no example for this rule
        print(
            f"{rule:24} {s.precision:5.2f} {s.recall:5.2f} {s.f1:5.2f}  {s.tp:2} {s.fp:2} {s.fn:2}"
        )


def main(argv: list[str]) -> int:
    if "--train" in argv:
        report(
            "labelled set, train split (tuned on)", labelled_set(DATA / "narratives.csv", "train")
        )
    report("labelled set, frozen test split", labelled_set(DATA / "narratives.csv", "test"))
    report(
        "reference/billing-guidelines.md §2 examples",
        reference_set(DATA / "reference_narratives.csv"),
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
