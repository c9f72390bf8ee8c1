"""Guidelines files: load, validate, merge over the shipped defaults, resolve overrides.

A file names only what differs from `default.toml`; every rule it does not mention runs with
the defaults. Overrides (`[[overrides]]`) replace only the keys they name, for the invoices whose
law_firm_id / client_matter_id / matter_type match; when several match, later ones win
(spec/guidelines.md). The content hash is the sha256 of the file's bytes.
"""

from __future__ import annotations

import hashlib
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from legalops.guidelines.errors import ConfigError, Problem
from legalops.guidelines.money import is_currency
from legalops.guidelines.params import ParamError, RuleSettings
from legalops.guidelines.rules import BY_ID, CATALOGUE
from legalops.guidelines.tomlpos import KeyLines, Path

DEFAULT_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "default.toml")
MATCH_KEYS = ("law_firm_id", "client_matter_id", "matter_type")
_HEADER_KEYS = {"name": str, "version": str, "effective": date, "currency": str, "description": str}

_TOML_POSITION = re.compile(r"at line (\d+)")

RuleTable = dict[str, dict[str, Any]]  # rule id -> key -> converted value


@dataclass(frozen=True, slots=True)
class Override:
    match: Mapping[str, tuple[str, ...]]
    rules: RuleTable

    def applies(self, facts: Mapping[str, str]) -> bool:
        return all(facts.get(key, "") in values for key, values in self.match.items())


@dataclass(frozen=True)
class Guidelines:
    name: str
    version: str
    effective: date | None
    currency: str
    sha256: str
    source: str
    rules: RuleTable
    overrides: tuple[Override, ...] = ()
    _cache: dict[tuple[str, str, str], dict[str, RuleSettings]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def settings_for(
        self, law_firm_id: str = "", client_matter_id: str = "", matter_type: str = ""
    ) -> dict[str, RuleSettings]:
        """Every rule's settings for one invoice, overrides applied in file order."""
        key = (law_firm_id, client_matter_id, matter_type)
        if key not in self._cache:
            facts = dict(zip(MATCH_KEYS, key, strict=True))
            merged = {rule: dict(values) for rule, values in self.rules.items()}
            for override in self.overrides:
                if override.applies(facts):
                    for rule, values in override.rules.items():
                        merged[rule].update(values)
            self._cache[key] = {rule: _settings(rule, values) for rule, values in merged.items()}
        return self._cache[key]


def _settings(rule: str, values: dict[str, Any]) -> RuleSettings:
    params = {k: v for k, v in values.items() if k not in ("enabled", "action")}
    return RuleSettings(rule, bool(values.get("enabled", True)), str(values["action"]), params)


class _Checker:
    """Validates one parsed file, collecting every problem with its line."""

    def __init__(self, source: str, filename: str) -> None:
        self.filename = filename
        self.keys = KeyLines(source)
        self.problems: list[Problem] = []

    def bad(self, path: Path, message: str) -> None:
        key = ".".join(
            str(part) if not isinstance(part, int) else f"[{part}]" for part in path
        ).replace(".[", "[")
        self.problems.append(Problem(self.filename, self.keys.find(path), key, message))

    def header(self, table: object) -> dict[str, Any]:
        if not isinstance(table, dict):
            self.bad(("guidelines",), "expected a [guidelines] table with name and version")
            return {}
        for key, value in table.items():
            expected = _HEADER_KEYS.get(key)
            if expected is None:
                self.bad(("guidelines", key), f"unknown key (allowed: {', '.join(_HEADER_KEYS)})")
            elif not isinstance(value, expected) or (expected is date and type(value) is not date):
                self.bad(
                    ("guidelines", key),
                    f"expected a {'date such as 2026-01-01' if expected is date else 'string'}",
                )
        for required in ("name", "version"):
            if required not in table:
                self.bad(("guidelines",), f"missing required key {required!r}")
        if isinstance(table.get("currency"), str) and not is_currency(table["currency"]):
            self.bad(
                ("guidelines", "currency"),
                f"{table['currency']!r} is not an ISO 4217 currency code",
            )
        return table

    def rules(self, table: object, base: Path) -> RuleTable:
        out: RuleTable = {}
        if not isinstance(table, dict):
            self.bad(base, "expected a table of rules")
            return out
        for rule_id, values in table.items():
            rule = BY_ID.get(rule_id)
            if rule is None:
                self.bad(
                    (*base, rule_id), "unknown rule id (see spec/guidelines.md for the catalogue)"
                )
            elif not isinstance(values, dict):
                self.bad((*base, rule_id), "expected a table of settings")
            else:
                out[rule_id] = self.rule(rule_id, values, (*base, rule_id))
        return out

    def rule(self, rule_id: str, values: dict[str, Any], path: Path) -> dict[str, Any]:
        rule = BY_ID[rule_id]
        out: dict[str, Any] = {}
        for key, value in values.items():
            if key == "enabled":
                if isinstance(value, bool):
                    out[key] = value
                else:
                    self.bad((*path, key), "expected true or false")
            elif key == "action":
                if value in rule.actions:
                    out[key] = value
                else:
                    self.bad(
                        (*path, key), f"expected one of {', '.join(rule.actions)}, got {value!r}"
                    )
            elif key in rule.params:
                try:
                    out[key] = rule.params[key].convert(value)
                except ParamError as exc:
                    self.bad((*path, key), str(exc))
            else:
                allowed = ", ".join(["enabled", "action", *rule.params])
                self.bad((*path, key), f"unknown key for rule {rule_id} (allowed: {allowed})")
        return out

    def overrides(self, items: object) -> tuple[Override, ...]:
        if not isinstance(items, list):
            self.bad(("overrides",), "expected [[overrides]] tables")
            return ()
        found = []
        for index, item in enumerate(items):
            override = self.override(item, ("overrides", index)) if isinstance(item, dict) else None
            if override is not None:
                found.append(override)
        return tuple(found)

    def override(self, item: dict[str, Any], path: Path) -> Override | None:
        for key in item:
            if key not in ("match", "rules"):
                self.bad((*path, key), "unknown key (allowed: match, rules)")
        match = self.match(item.get("match"), (*path, "match"))
        rules = self.rules(item.get("rules", {}), (*path, "rules"))
        return Override(match, rules) if match else None

    def match(self, table: object, path: Path) -> dict[str, tuple[str, ...]]:
        if not isinstance(table, dict) or not table:
            self.bad(path, f"expected a table naming at least one of {', '.join(MATCH_KEYS)}")
            return {}
        out: dict[str, tuple[str, ...]] = {}
        for key, value in table.items():
            values = [value] if isinstance(value, str) else value
            if key not in MATCH_KEYS:
                self.bad((*path, key), f"unknown match key (allowed: {', '.join(MATCH_KEYS)})")
            elif not isinstance(values, list) or not all(isinstance(v, str) for v in values):
                self.bad((*path, key), "expected a string or an array of strings")
            else:
                out[key] = tuple(values)
        return out


def _parse(data: bytes, filename: str) -> tuple[dict[str, Any], _Checker]:
    try:
        source = data.decode("utf-8")
        document = tomllib.loads(source)
    except UnicodeDecodeError as exc:
        raise ConfigError([Problem(filename, None, "", f"not UTF-8 text: {exc}")]) from exc
    except tomllib.TOMLDecodeError as exc:
        # Python 3.12's tomllib puts the position only in the message: "(at line 6, column 20)".
        found = _TOML_POSITION.search(str(exc))
        line = int(found.group(1)) if found else None
        raise ConfigError([Problem(filename, line, "", f"invalid TOML: {exc}")]) from exc
    return document, _Checker(source, filename)


def _document(
    document: dict[str, Any], checker: _Checker
) -> tuple[dict[str, Any], RuleTable, tuple[Override, ...]]:
    for key in document:
        if key not in ("guidelines", "rules", "overrides"):
            checker.bad((key,), "unknown top-level key (allowed: guidelines, rules, overrides)")
    header = checker.header(document.get("guidelines"))
    rules = checker.rules(document.get("rules", {}), ("rules",))
    overrides = checker.overrides(document.get("overrides", []))
    if checker.problems:
        raise ConfigError(checker.problems)
    return header, rules, overrides


def parse_guidelines(data: bytes, filename: str = "guidelines.toml") -> Guidelines:
    """A guidelines file over the shipped defaults; raises ConfigError naming line and key."""
    header, rules, overrides = _document(*_parse(data, filename))
    merged = {
        rule: {**values, **rules.get(rule, {})}
        for rule, values in default_guidelines().rules.items()
    }
    return _guidelines(header, merged, overrides, data, filename)


def load_guidelines(path: str) -> Guidelines:
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise ConfigError(
            [Problem(path, None, "", f"cannot read guidelines file: {exc.strerror or exc}")]
        ) from exc
    return parse_guidelines(data, path)


_DEFAULT: list[Guidelines] = []


def default_guidelines() -> Guidelines:
    """The shipped `default.toml`: every rule with its action and every parameter."""
    if not _DEFAULT:
        with open(DEFAULT_FILE, "rb") as handle:
            data = handle.read()
        header, rules, overrides = _document(*_parse(data, "default.toml"))
        missing = [
            f"{r.id}.{k}"
            for r in CATALOGUE
            for k in ("action", *r.params)
            if k not in rules.get(r.id, {})
        ]
        if missing:
            raise ConfigError(
                [
                    Problem("default.toml", None, key, "missing from the shipped defaults")
                    for key in missing
                ]
            )
        _DEFAULT.append(_guidelines(header, rules, overrides, data, "default.toml"))
    return _DEFAULT[0]


def _guidelines(
    header: dict[str, Any],
    rules: RuleTable,
    overrides: tuple[Override, ...],
    data: bytes,
    source: str,
) -> Guidelines:
    return Guidelines(
        name=str(header["name"]),
        version=str(header["version"]),
        effective=header.get("effective"),
        currency=str(header.get("currency", "USD")),
        sha256=hashlib.sha256(data).hexdigest(),
        source=source,
        rules=rules,
        overrides=overrides,
    )
