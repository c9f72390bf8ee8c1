"""Property tests: nothing crashes on any input, and the money invariants always hold."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.guidelines.guidelines_builders import guidelines

from legalops.guidelines.cli import main
from legalops.guidelines.config import parse_guidelines
from legalops.guidelines.engine import review
from legalops.guidelines.errors import ConfigError
from legalops.guidelines.narrative import NarrativeContext, Roster, RuleBasedClassifier
from legalops.guidelines.rates import parse_rates
from legalops.guidelines.records import Invoice, Line, ReviewContext
from legalops.guidelines.report import invoice_json, invoice_json_text

_VOCABULARY = (
    "review draft call with client associate partner research travel to Chicago attend deposition "
    "of Smith and then ; , . bates label first class wine invoice budget get up to speed file "
    "re regarding hearing meeting conference Arnsley (1.2) approved by"
)
WORDS = st.sampled_from(_VOCABULARY.split(" "))
NARRATIVES = st.one_of(st.text(max_size=80), st.lists(WORDS, max_size=20).map(" ".join))
MONEY = st.decimals(
    min_value=-1000, max_value=100000, places=2, allow_nan=False, allow_infinity=False
)
UNITS = st.one_of(
    st.none(),
    st.decimals(min_value=0, max_value=30, places=3, allow_nan=False, allow_infinity=False),
)
DATES = st.one_of(st.none(), st.dates(min_value=date(2025, 6, 1), max_value=date(2026, 6, 30)))


@st.composite
def lines(draw: st.DrawFn, number: int) -> Line:
    units = draw(UNITS)
    rate = draw(
        st.one_of(st.none(), st.decimals(min_value=0, max_value=2000, places=2, allow_nan=False))
    )
    total = draw(MONEY) if units is None or rate is None else units * rate
    return Line(
        number=str(number),
        kind=draw(st.sampled_from(["F", "F", "E", "IF", "IE"])),
        total=total,
        date=draw(DATES),
        units=units,
        unit_cost=rate,
        task_code=draw(st.sampled_from(["", "L310", "B110", "X9"])),
        activity_code=draw(st.sampled_from(["", "A103", "A105", "A102"])),
        expense_code=draw(st.sampled_from(["", "E101", "E108", "E111"])),
        timekeeper_id=draw(st.sampled_from(["", "TK1", "TK2"])),
        timekeeper_name=draw(st.sampled_from(["", "Arnsley, Robert", "Beaster, John"])),
        classification=draw(st.sampled_from(["", "PARTNR", "ASSOC", "PARALG", "LGLINT", "PT"])),
        narrative=draw(NARRATIVES),
    )


@st.composite
def invoices(draw: st.DrawFn) -> Invoice:
    count = draw(st.integers(min_value=0, max_value=8))
    return Invoice(
        invoice_number="I",
        law_firm_id="F",
        lines=tuple(draw(lines(i + 1)) for i in range(count)),
        invoice_date=draw(DATES),
        billing_start=draw(DATES),
        billing_end=draw(DATES),
        currency=draw(st.sampled_from([None, "USD", "JPY", "KWD"])),
    )


AGGRESSIVE = guidelines(
    "[rules.block-billing]\nreduce_percent = 60\n"
    '[rules.vague-description]\naction = "reduce"\n'
    '[rules.daily-hours-cap]\naction = "reduce"\nmax_hours = 2\n'
    '[rules.long-entry]\naction = "reduce"\n'
    '[rules.legal-research]\naction = "reduce"\nmax_hours_per_invoice = 0\n'
    '[rules.multiple-attendance]\naction = "reduce"\nreduce_percent = 30\n'
)


@given(invoices(), st.booleans())
@settings(suppress_health_check=[HealthCheck.too_slow])
def test_review_never_crashes_and_money_invariants_hold(invoice: Invoice, aggressive: bool) -> None:
    result = review(
        invoice, ReviewContext(as_of=date(2026, 3, 1)), AGGRESSIVE if aggressive else None
    )
    for line in result.lines:
        assert sum((f.amount for f in line.flags), Decimal(0)) == line.approved - line.billed
        if line.billed >= 0:
            assert 0 <= line.approved <= line.billed
        else:
            assert line.approved == line.billed  # credits are never reduced
    lines_total = sum((line.approved for line in result.lines), Decimal(0))
    assert result.approved == (Decimal(0) if result.returned else lines_total)
    document = invoice_json(result, "f")
    assert json.loads(invoice_json_text(result, "f")) == document
    assert invoice_json_text(result, "f") == json.dumps(document, ensure_ascii=False)


@given(st.text(max_size=200), st.sampled_from(["F", "E"]), st.sampled_from(["", "A105", "A102"]))
def test_classifier_accepts_any_text(text: str, kind: str, activity: str) -> None:
    context = NarrativeContext(kind, activity, Roster.of(["Arnsley, Robert", text[:20]]))
    found = RuleBasedClassifier().analyse(text, context)
    for cue in found.cues.values():
        assert all(isinstance(word, str) for word in cue.words)


@given(st.binary(max_size=300) | st.text(max_size=300).map(str.encode))
def test_guidelines_parser_raises_only_config_errors(data: bytes) -> None:
    try:
        parse_guidelines(data, "g.toml")
    except ConfigError as exc:
        assert exc.problems and all(p.file == "g.toml" for p in exc.problems)


@given(st.text(max_size=300))
def test_rates_parser_raises_only_config_errors(text: str) -> None:
    header = (
        "law_firm_id,timekeeper_id,timekeeper_name,classification,rate,currency,"
        "effective_from,effective_to\n"
    )
    for body in (text, header + text):
        try:
            parse_rates(body)
        except ConfigError as exc:
            assert exc.problems


@given(st.binary(max_size=400))
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_cli_never_crashes_on_any_file(tmp_path_factory: object, data: bytes) -> None:
    path = Path(str(tmp_path_factory.mktemp("any"))) / "in.txt"  # type: ignore[attr-defined]
    path.write_bytes(b"LEDES1998B[]\n" + data if data[:1] == b"|" else data)
    assert main([str(path), "--json", "--as-of", "2026-01-01"]) in (0, 1)
