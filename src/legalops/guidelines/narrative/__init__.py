"""Narrative analysis for the text rules (spec/guidelines.md "Narrative")."""

from legalops.guidelines.narrative.detect import RuleBasedClassifier
from legalops.guidelines.narrative.model import (
    Cue,
    Event,
    NarrativeClassifier,
    NarrativeContext,
    NarrativeFindings,
)
from legalops.guidelines.narrative.roster import EMPTY_ROSTER, Roster

__all__ = [
    "EMPTY_ROSTER",
    "Cue",
    "Event",
    "NarrativeClassifier",
    "NarrativeContext",
    "NarrativeFindings",
    "Roster",
    "RuleBasedClassifier",
]
