"""Guidelines files: validation naming line and key, defaults, overrides, version and hash."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from legalops.guidelines.config import default_guidelines, parse_guidelines
from legalops.guidelines.errors import ConfigError
from legalops.guidelines.rules import CATALOGUE

HEADER = '[guidelines]\nname = "Acme OCG"\nversion = "2026.1"\neffective = 2026-01-01\ncurrency = "USD"\n'  # noqa: E501


def problems(text: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        parse_guidelines(text.encode(), "g.toml")
    return [str(p) for p in caught.value.problems]


def test_defaults_cover_every_rule_action_and_parameter() -> None:
    defaults = default_guidelines()
    for rule in CATALOGUE:
        values = defaults.rules[rule.id]
        assert values["action"] in rule.actions
        assert set(rule.params) <= set(values)


def test_shipped_defaults_cite_a_source_for_every_rule() -> None:
    from legalops.guidelines.config import DEFAULT_FILE

    text = Path(DEFAULT_FILE).read_text(encoding="utf-8")
    for rule in CATALOGUE:
        before = text.split(f"[rules.{rule.id}]")[0].rsplit("\n\n", 1)[-1]
        assert "[" in before and "#" in before, f"{rule.id} has no comment citing its source"


def test_file_overrides_only_what_it_names() -> None:
    g = parse_guidelines(
        (HEADER + "[rules.block-billing]\nreduce_percent = 50\n").encode(), "g.toml"
    )
    settings = g.settings_for()
    assert settings["block-billing"].params["reduce_percent"] == 50
    assert (
        settings["block-billing"].action == "reduce"
        and settings["block-billing"].params["min_tasks"] == 2
    )
    assert (g.name, g.version, str(g.effective)) == ("Acme OCG", "2026.1", "2026-01-01")


def test_sha256_is_the_hash_of_the_file_bytes() -> None:
    data = HEADER.encode()
    assert parse_guidelines(data, "g.toml").sha256 == hashlib.sha256(data).hexdigest()


def test_unknown_rule_unknown_key_wrong_type_each_name_line_and_key() -> None:
    text = (
        HEADER
        + '\n[rules.daily-hours-cap]\nmax_hours = "ten"\nbogus = 1\n\n[rules.no-such-rule]\naction = "warn"\n'  # noqa: E501
    )
    assert problems(text) == [
        "g.toml:8: rules.daily-hours-cap.max_hours: expected a number, got string 'ten'",
        "g.toml:9: rules.daily-hours-cap.bogus: unknown key for rule daily-hours-cap (allowed: enabled, action, max_hours)",  # noqa: E501
        "g.toml:11: rules.no-such-rule: unknown rule id (see spec/guidelines.md for the catalogue)",
    ]


def test_action_not_on_the_rules_ladder() -> None:
    [message] = problems(HEADER + '[rules.late-invoice]\naction = "reduce"\n')
    assert message.startswith(
        "g.toml:7: rules.late-invoice.action: expected one of warn, hold, reject-invoice"
    )


def test_money_must_be_a_string() -> None:
    [message] = problems(HEADER + "[rules.expense-cap]\nunit_caps = { E101 = 0.10 }\n")
    assert message.startswith("g.toml:7: rules.expense-cap.unit_caps")


def test_inline_override_keys_are_located() -> None:
    text = (
        HEADER
        + '\n[[overrides]]\nmatch = { law_firm_id = "36" }\nrules.daily-hours-cap = { max_hours = 12, action = "nope" }\n'  # noqa: E501
    )
    [message] = problems(text)
    assert message.startswith("g.toml:9: overrides[0].rules.daily-hours-cap.action")


def test_header_is_required_and_checked() -> None:
    assert problems('[guidelines]\nname = "x"\n') == [
        "g.toml:1: guidelines: missing required key 'version'"
    ]
    assert problems(HEADER.replace('"USD"', '"XYZ"'))[0].startswith("g.toml:5: guidelines.currency")


def test_toml_syntax_error_names_the_line() -> None:
    [message] = problems(HEADER + "[rules.late-invoice\n")
    assert message.startswith("g.toml:6: invalid TOML")


def test_overrides_by_firm_matter_and_type_later_wins() -> None:
    text = HEADER + (
        '[[overrides]]\nmatch = { law_firm_id = "36-1" }\nrules.daily-hours-cap = { max_hours = 12 }\n'  # noqa: E501
        '[[overrides]]\nmatch = { law_firm_id = "36-1", matter_type = "litigation" }\nrules.daily-hours-cap = { max_hours = 14 }\n'  # noqa: E501
        '[[overrides]]\nmatch = { client_matter_id = ["M-1", "M-2"] }\nrules.long-entry = { enabled = false }\n'  # noqa: E501
    )
    g = parse_guidelines(text.encode(), "g.toml")
    assert g.settings_for("36-1").get("daily-hours-cap").params["max_hours"] == 12  # type: ignore[union-attr]
    assert g.settings_for("36-1", "", "litigation")["daily-hours-cap"].params["max_hours"] == 14
    assert g.settings_for("99")["daily-hours-cap"].params["max_hours"] == 10
    assert not g.settings_for("99", "M-2")["long-entry"].enabled


def test_override_needs_a_match() -> None:
    [message] = problems(HEADER + "[[overrides]]\nrules.long-entry = { max_hours = 9 }\n")
    assert "overrides[0].match" in message
