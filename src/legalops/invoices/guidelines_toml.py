"""Writing guidelines files: the structured editor's form turned into TOML, and the effective
date set in a file's header.

Nothing here validates: the generated text goes to the engine (`parse_guidelines`), whose
problems (file, line, key) are mapped back to the form's fields. A value the form cannot write
as the kind it should be (a number typed as "ten") is written as a string, so that the engine
says what it expected, in its own words.
"""

from __future__ import annotations

import datetime
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from legalops.guidelines.config import Guidelines, default_guidelines
from legalops.guidelines.errors import Problem
from legalops.guidelines.money import fmt_number
from legalops.guidelines.params import Param
from legalops.guidelines.rules import CATALOGUE, Rule
from legalops.guidelines.tomlpos import KeyLines

HEADER_FIELDS = ("name", "version", "effective", "currency", "description")
LIST_KINDS = ("codes", "terms")
_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


# --- TOML values ---------------------------------------------------------------------------


def toml_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def toml_key(key: str) -> str:
    return key if _BARE_KEY.match(key) else toml_string(key)


def toml_value(value: Any) -> str:
    """A TOML literal for a value as `tomllib` or the engine gives it back."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | Decimal):
        return fmt_number(Decimal(str(value)))
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    if isinstance(value, Mapping):
        if not value:
            return "{}"
        inner = ", ".join(f"{toml_key(str(k))} = {toml_value(v)}" for k, v in value.items())
        return "{ " + inner + " }"
    raise TypeError(f"no TOML form for {type(value).__name__}")


# --- What the form shows -----------------------------------------------------------------


def field_text(param: Param, value: Any) -> str:
    """A rule parameter as the form's text box shows it."""
    if param.kind in LIST_KINDS:
        return ", ".join(value)
    if param.kind == "money_map":
        return ", ".join(f"{code} = {fmt_number(amount)}" for code, amount in value.items())
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return fmt_number(value)
    return str(value)


def literal_from_text(param: Param, text: str) -> str | None:
    """The TOML literal for what was typed; None leaves the parameter at its default."""
    text = text.strip()
    if param.kind in LIST_KINDS:
        return toml_value([item.strip() for item in text.split(",") if item.strip()])
    if param.kind == "money_map":
        return _money_map_literal(text)
    if not text:
        return None
    if param.kind == "money":
        return toml_string(text)
    if param.kind == "bool" and text in ("true", "false"):
        return text
    return text if _NUMBER.match(text) else toml_string(text)


def _money_map_literal(text: str) -> str:
    entries: dict[str, str] = {}
    for item in (part.strip() for part in text.split(",")):
        if not item:
            continue
        code, equals, amount = item.partition("=")
        if not equals or not code.strip():
            # Not "CODE = amount": written as a string, which the engine refuses with its
            # own "expected a table such as { E101 = "0.10" }".
            return toml_string(text)
        entries[code.strip()] = amount.strip().strip("\"'")
    return toml_value(entries)


# --- The structured editor -----------------------------------------------------------------


@dataclass(frozen=True)
class ParamField:
    name: str  # the form field's name
    key: str
    kind: str
    text: str
    default: str


@dataclass(frozen=True)
class RuleFields:
    rule_id: str
    scope: str
    actions: tuple[str, ...]
    enabled: bool
    action: str
    default_action: str
    params: tuple[ParamField, ...]


def rule_fields(
    guidelines: Guidelines, posted: Mapping[str, str] | None = None
) -> list[RuleFields]:
    """Every catalogue rule with its current (or just posted) values and its defaults."""
    defaults = default_guidelines().rules
    rows = []
    for rule in CATALOGUE:
        current, default = guidelines.rules[rule.id], defaults[rule.id]
        prefix = f"rule.{rule.id}."
        params = tuple(
            ParamField(
                name=prefix + key,
                key=key,
                kind=param.kind,
                text=_posted(posted, prefix + key, field_text(param, current[key])),
                default=field_text(param, default[key]),
            )
            for key, param in rule.params.items()
        )
        enabled = (
            bool(current.get("enabled", True))
            if posted is None
            else posted.get(prefix + "enabled") == "on"
        )
        action = _posted(posted, prefix + "action", str(current["action"]))
        rows.append(
            RuleFields(
                rule.id, rule.scope, rule.actions, enabled, action, str(default["action"]), params
            )
        )
    return rows


def _posted(posted: Mapping[str, str] | None, name: str, current: str) -> str:
    return current if posted is None else posted.get(name, "")


def header_fields(
    guidelines: Guidelines, text: str, posted: Mapping[str, str] | None
) -> dict[str, str]:
    """The [guidelines] keys as the file writes them ("" for those it leaves out, such as a
    currency left at the default), or as just posted."""
    if posted is not None:
        return {key: posted.get(f"guidelines.{key}", "").strip() for key in HEADER_FIELDS}
    try:
        header = tomllib.loads(text).get("guidelines", {})
    except tomllib.TOMLDecodeError:
        header = {}
    written = header if isinstance(header, dict) else {}
    fields = {key: written.get(key, "") for key in HEADER_FIELDS}
    fields.update(name=guidelines.name, version=guidelines.version)
    return {
        key: str(value.isoformat() if hasattr(value, "isoformat") else value)
        for key, value in fields.items()
    }


def source_from_form(posted: Mapping[str, str], current_source: str) -> str:
    """The guidelines file the structured form describes: its header, every rule whose settings
    differ from the shipped defaults (a file names only what differs), and the overrides of the
    current file unchanged (the form does not edit them; the raw editor does)."""
    out = ["[guidelines]"]
    for key in HEADER_FIELDS:
        text = posted.get(f"guidelines.{key}", "").strip()
        if key == "effective" and _is_date(text):
            out.append(f"effective = {text}")
        elif text or key in ("name", "version"):
            out.append(f"{key} = {toml_string(text)}")
    defaults = default_guidelines().rules
    for rule in CATALOGUE:
        lines = _rule_lines(rule, posted, defaults[rule.id])
        if lines:
            out += ["", f"[rules.{rule.id}]", *lines]
    out += _override_lines(current_source)
    return "\n".join(out) + "\n"


def _is_date(text: str) -> bool:
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _rule_lines(rule: Rule, posted: Mapping[str, str], default: Mapping[str, Any]) -> list[str]:
    prefix = f"rule.{rule.id}."
    lines = []
    if posted.get(prefix + "enabled") != "on":
        lines.append("enabled = false")
    action = posted.get(prefix + "action", "").strip()
    if action and action != default["action"]:
        lines.append(f"action = {toml_string(action)}")
    for key, param in rule.params.items():
        literal = literal_from_text(param, posted.get(prefix + key, ""))
        if literal is not None and _differs(param, literal, default[key]):
            lines.append(f"{key} = {literal}")
    return lines


def _differs(param: Param, literal: str, default: Any) -> bool:
    """Whether a typed value means something other than the default (compared as the engine
    reads both, so "0.10" and "0.1" are the same cap)."""
    try:
        return bool(param.convert(tomllib.loads(f"v = {literal}")["v"]) != default)
    except (ValueError, tomllib.TOMLDecodeError):
        return True  # the engine will name the problem


def _override_lines(source: str) -> list[str]:
    try:
        overrides = tomllib.loads(source).get("overrides", [])
    except tomllib.TOMLDecodeError:
        return []
    out: list[str] = []
    for item in overrides if isinstance(overrides, list) else []:
        out += ["", "[[overrides]]"]
        out += [f"{toml_key(key)} = {toml_value(value)}" for key, value in item.items()]
    return _dotted_rules(out)


def _dotted_rules(lines: list[str]) -> list[str]:
    """`rules = { a = {...} }` is written as one `rules.a = {...}` line per rule (as the spec's
    example does), which keeps a later diff to one line per changed rule."""
    out = []
    for line in lines:
        if line.startswith("rules = { ") and line.endswith(" }"):
            out += [f"rules.{entry}" for entry in _split_inline(line[len("rules = { ") : -2])]
        else:
            out.append(line)
    return out


def _split_inline(body: str) -> Iterable[str]:
    depth, start = 0, 0
    in_string = False
    for index, char in enumerate(body):
        if char == '"' and (index == 0 or body[index - 1] != "\\"):
            in_string = not in_string
        elif not in_string and char in "{[":
            depth += 1
        elif not in_string and char in "}]":
            depth -= 1
        elif not in_string and char == "," and depth == 0:
            yield body[start:index].strip()
            start = index + 1
    yield body[start:].strip()


def field_for(problem: Problem) -> str:
    """The form field a problem of the generated file belongs to ("" for the form as a whole)."""
    parts = problem.key.split(".")
    if len(parts) == 3 and parts[0] == "rules":
        return f"rule.{parts[1]}.{parts[2]}"
    if len(parts) == 2 and parts[0] == "guidelines":
        return f"guidelines.{parts[1]}"
    return ""


# --- The effective date in a file's header -------------------------------------------------


def with_effective(source: str, effective: datetime.date) -> str:
    """The file with `[guidelines] effective` set to this date (every other byte kept)."""
    lines = source.splitlines(keepends=True)
    keys = KeyLines(source).lines
    at = keys.get(("guidelines", "effective"))
    text = f"effective = {effective.isoformat()}\n"
    if at is not None:
        lines[at - 1] = text
    else:
        header = keys.get(("guidelines",))
        lines.insert(header if header is not None else 0, text)
    return "".join(lines)
