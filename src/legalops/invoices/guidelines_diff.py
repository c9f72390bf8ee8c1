"""What changed between two guidelines versions, as a reviewer reads it: header fields, per rule
(switched on/off, action, each parameter), overrides added, removed or changed, and the unified
text diff of the two files.

Both sides are compared as the engine reads them (defaults merged in), so a file that spells out
a default and one that leaves it out are the same rule.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

from legalops.guidelines.config import Guidelines, Override
from legalops.guidelines.params import Param
from legalops.guidelines.rules import BY_ID, CATALOGUE
from legalops.invoices.guidelines_toml import field_text
from legalops.invoices.models import GuidelinesVersion
from legalops.invoices.rulebook import guidelines_of


@dataclass(frozen=True)
class Change:
    what: str  # "enabled", "action" or a parameter name
    old: str
    new: str


@dataclass(frozen=True)
class RuleDiff:
    rule_id: str
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class OverrideDiff:
    match: str  # e.g. "law_firm_id = 36-1234567"
    status: str  # added | removed | changed
    changes: tuple[RuleDiff, ...]


@dataclass
class GuidelinesDiff:
    header: list[Change] = field(default_factory=list)
    rules: list[RuleDiff] = field(default_factory=list)
    overrides: list[OverrideDiff] = field(default_factory=list)
    text: list[str] = field(default_factory=list)  # unified diff lines of the two files

    @property
    def empty(self) -> bool:
        return not (self.header or self.rules or self.overrides)


@dataclass(frozen=True)
class Side:
    guidelines: Guidelines
    text: str  # the file as stored
    label: str  # how the unified diff names it


def version_side(version: GuidelinesVersion) -> Side:
    """A stored version as one side of a diff, labelled with its version, status and id."""
    label = f"{version.version} ({version.status}, #{version.pk})"
    return Side(guidelines_of(version), version.source, label)


def guidelines_diff(old_side: Side, new_side: Side) -> GuidelinesDiff:
    old, new = old_side.guidelines, new_side.guidelines
    diff = GuidelinesDiff()
    for key in ("name", "version", "effective", "currency"):
        before, after = str(getattr(old, key) or ""), str(getattr(new, key) or "")
        if before != after:
            diff.header.append(Change(key, before, after))
    for rule in CATALOGUE:
        changes = rule_changes(rule.id, old.rules[rule.id], new.rules[rule.id])
        if changes:
            diff.rules.append(RuleDiff(rule.id, changes))
    diff.overrides = override_changes(old.overrides, new.overrides)
    diff.text = list(
        difflib.unified_diff(
            old_side.text.splitlines(),
            new_side.text.splitlines(),
            old_side.label,
            new_side.label,
            lineterm="",
        )
    )
    return diff


def rule_changes(rule_id: str, old: dict[str, Any], new: dict[str, Any]) -> tuple[Change, ...]:
    """The differences between two settings of one rule (keys absent on a side are not
    compared: an override names only what it replaces)."""
    params = BY_ID[rule_id].params
    changes = []
    for key in ("enabled", "action", *params):
        if key not in old and key not in new:
            continue
        before, after = _text(params.get(key), key, old), _text(params.get(key), key, new)
        if before != after:
            changes.append(Change(key, before, after))
    return tuple(changes)


def _text(param: Param | None, key: str, values: dict[str, Any]) -> str:
    if key == "enabled":
        return "on" if values.get("enabled", True) else "off"
    if key not in values:
        return "—"
    return str(values[key]) if param is None else field_text(param, values[key]) or "(none)"


def describe_match(override: Override) -> str:
    return "; ".join(f"{key} = {', '.join(values)}" for key, values in override.match.items())


def override_changes(old: tuple[Override, ...], new: tuple[Override, ...]) -> list[OverrideDiff]:
    """Overrides are paired by what they match (the same match twice: in file order)."""
    before = {describe_match(o): o for o in old}
    after = {describe_match(o): o for o in new}
    out = []
    for match, override in after.items():
        if match not in before:
            out.append(OverrideDiff(match, "added", _rule_tables({}, override.rules)))
        else:
            changes = _rule_tables(before[match].rules, override.rules)
            if changes:
                out.append(OverrideDiff(match, "changed", changes))
    for match, override in before.items():
        if match not in after:
            out.append(OverrideDiff(match, "removed", _rule_tables(override.rules, {})))
    return out


def _rule_tables(
    old: dict[str, dict[str, Any]], new: dict[str, dict[str, Any]]
) -> tuple[RuleDiff, ...]:
    ids = [rule.id for rule in CATALOGUE if rule.id in old or rule.id in new]
    found = (RuleDiff(i, rule_changes(i, old.get(i, {}), new.get(i, {}))) for i in ids)
    return tuple(item for item in found if item.changes)
