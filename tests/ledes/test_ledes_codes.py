"""UTBMS code sets, LOC classifications and currencies as data."""

from __future__ import annotations

from legalops.ledes import (
    classification_of,
    classifications,
    legacy_classifications,
    minor_unit,
    utbms_lookup,
    utbms_phase,
    utbms_sets,
)


def test_code_sets_are_complete() -> None:
    sets = utbms_sets()
    assert set(sets) == {"litigation", "counseling", "project", "bankruptcy", "activity", "expense"}
    # Counts from the ABA tables (reference §7): 5 phases + 29 tasks; A101-A111; E100 + 24.
    assert len(sets["litigation"]) == 34
    assert len(sets["activity"]) == 11
    assert len(sets["expense"]) == 25
    assert len(sets["bankruptcy"]) == 4 + 21
    assert len(sets["project"]) == 16
    assert len(sets["counseling"]) == 4


def test_lookup_and_phase() -> None:
    code = utbms_lookup("l210")
    assert code is not None and (code.name, code.set, code.parent) == (
        "Pleadings",
        "litigation",
        "L200",
    )
    assert utbms_phase("L210") == "L200" and utbms_phase("L200") == "L200"
    assert utbms_phase("C300") == "C300"
    assert utbms_phase("P230") == "P200" and utbms_phase("P300") == "P300"
    assert utbms_lookup("Z999") is None and utbms_phase("Z999") is None


def test_classifications_and_legacy_mapping() -> None:
    assert len(classifications()) == 51
    assert classifications()["PARALG"].name == "Paralegal"
    assert legacy_classifications()["PT"] == "PARTNR"
    assert classification_of("AS") == "ASSOC" and classification_of("ASSOC") == "ASSOC"
    assert classification_of("QA") is None


def test_minor_units() -> None:
    assert (minor_unit("USD"), minor_unit("JPY"), minor_unit("KWD"), minor_unit(None)) == (
        2,
        0,
        3,
        2,
    )
