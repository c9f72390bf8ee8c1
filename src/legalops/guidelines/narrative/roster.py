"""The invoice's own timekeepers, as the internal-conference cue looks for them: surnames, first
names and initials ("conference with R. Arnsley", "call with Okafor", "discuss with CO").
§2.4: "confer/conference/meet/discuss with plus a name or initials on the firm's roster"."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from legalops.guidelines.narrative.lexicon import COMPANY_SUFFIX

_WORD = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")
_INITIALS = re.compile(r"\b[A-Z]{2,3}\b")


@dataclass(frozen=True, slots=True)
class Roster:
    names: frozenset[str]  # lower-case surnames (a bare first name is too often someone else's)
    initials: frozenset[str]  # "RA" for "Arnsley, Robert"

    @classmethod
    def of(cls, full_names: Iterable[str]) -> Roster:
        names: set[str] = set()
        initials: set[str] = set()
        for full in full_names:
            last, comma, first = full.partition(",")
            ordered = f"{first} {last}" if comma else full
            words = _WORD.findall(ordered.lower())
            if words and len(words[-1]) >= 2:
                names.add(words[-1])
            if len(words) >= 2:
                initials.add((words[0][0] + words[-1][0]).upper())
        return cls(frozenset(names), frozenset(initials))

    def mentioned(self, low: str, original: str) -> list[str]:
        """Roster names or initials in a participant phrase, skipping company names that
        happen to contain a surname ("Okafor Holdings")."""
        found = [
            match.group()
            for match in _WORD.finditer(low)
            if match.group() in self.names and not COMPANY_SUFFIX.match(low[match.end() :].lstrip())
        ]
        found += [token for token in _INITIALS.findall(original) if token in self.initials]
        return found


EMPTY_ROSTER = Roster(frozenset(), frozenset())
