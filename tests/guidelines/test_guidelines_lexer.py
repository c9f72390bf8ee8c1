"""The narrative lexer (narrative/lexer.py) answers exactly as a whole-text search of each cue
pattern behind its gate words: same match, same evidence words, same misses."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from legalops.guidelines.narrative import lexicon as lx
from legalops.guidelines.narrative.detect import LEXER
from legalops.guidelines.narrative.lexer import Lexer, can_start, first_words
from legalops.guidelines.narrative.text import analyse_text, tokenize

# Each lexer cue and what it stood for before: (pattern, gate words or None).
PLAIN = {
    "clerical-work": (lx.CLERICAL, lx.CLERICAL_GATE),
    "learning-curve": (lx.LEARNING, lx.LEARNING_GATE),
    "billing-administration": (lx.BILLING, lx.BILLING_GATE),
    "legal-research": (lx.RESEARCH, lx.RESEARCH_GATE),
    "approval": (lx.APPROVAL, lx.APPROVAL_GATE),
    "paralegal-level": (lx.PARALEGAL_LEVEL, lx.PARALEGAL_GATE),
    "associate-level": (lx.ASSOCIATE_LEVEL, lx.ASSOCIATE_GATE),
    "luxury-travel": (lx.LUXURY, None),
}


def plain(name: str, narrative: str) -> str | None:
    pattern, gate = PLAIN[name]
    text = analyse_text(narrative)
    if gate is not None and frozenset(gate).isdisjoint(text.tokens):
        return None
    found = pattern.search(text.low)
    return found.group() if found else None


def lexed(name: str, narrative: str) -> str | None:
    text = analyse_text(narrative)
    found = LEXER.cues[name].search(LEXER.lex(text.low, text.tokens))
    return found.group() if found else None


def test_every_cue_of_the_classifier_is_indexed() -> None:
    assert set(LEXER.cues) == set(PLAIN)
    assert all(cue.stems for cue in LEXER.cues.values())  # none falls back to a whole search


@pytest.mark.parametrize(
    ("name", "narrative", "words"),
    [
        ("clerical-work", "Bates label production volume 4", "bates label"),
        ("clerical-work", "Draft motion; then scan and e-file it", "scan"),
        ("clerical-work", "E-filed the reply brief", "e-file"),  # the pattern stops there
        ("clerical-work", "PHOTOCOPIED exhibits for binders", "photocopied"),
        ("clerical-work", "Organise exhibits.", "organise"),
        ("learning-curve", "Review pleadings to get up to speed", "get up to speed"),
        ("billing-administration", "Review pre-bill and write down entries", "pre-bill"),
        ("legal-research", "Westlaw search re spoliation", "westlaw"),
        ("approval", "Research (approved by J. Smith)", "approved by"),
        ("associate-level", "Cite-check brief", "cite-check"),
        ("luxury-travel", "Airfare \u2013 first class", "first class"),
    ],
)
def test_hits_give_the_words_that_matched(name: str, narrative: str, words: str) -> None:
    assert lexed(name, narrative) == words == plain(name, narrative)


@pytest.mark.parametrize(
    ("name", "narrative"),
    [
        ("clerical-work", "Review copy and paste errors"),  # "review copy and": look-behind
        ("clerical-work", "Draft scanner procurement memo"),  # "scanner" is not "scan"
        ("clerical-work", "Calendar year tax analysis"),  # "calendar (?!year)"
        ("clerical-work", "Fileserver migration analysis"),
        ("billing-administration", "Review invoices produced by defendant"),
        ("legal-research", "Draft research memo outline"),  # "research memo" is excluded
        ("luxury-travel", "First class postage"),
        ("learning-curve", ""),
        ("clerical-work", "   "),
    ],
)
def test_misses_stay_misses(name: str, narrative: str) -> None:
    assert lexed(name, narrative) is None
    assert plain(name, narrative) is None


def test_a_gate_word_is_still_required() -> None:
    # "photocopies" can start the clerical pattern, but is not one of its gate words: the
    # classifier never searched such narratives, and the lexer keeps that answer.
    assert lx.CLERICAL.search("photocopies of exhibits")
    assert lexed("clerical-work", "Photocopies of exhibits") is None
    assert plain("clerical-work", "Photocopies of exhibits") is None


def test_punctuation_casing_and_hyphens() -> None:
    for narrative in (
        "SCAN, COLLATE; AND FAX.",
        "(scan) the exhibits",
        '"e-file" motion',
        "re-scan the pre-bill",
        "Fax:docket",
        "scan\u2014fax",
    ):
        for name in PLAIN:
            assert lexed(name, narrative) == plain(name, narrative), (name, narrative)


def test_phrases_across_clause_boundaries_match_as_the_text_reads() -> None:
    # Patterns run over the whole narrative, so a phrase may span a clause separator exactly
    # as before ("pick; up" does not match "pick(ed)? up", "cover letter" across a comma
    # does not match either, "print and" does).
    for narrative in ("Pick; up documents", "Cover, letter", "Print and file", "Bates, label"):
        for name in PLAIN:
            assert lexed(name, narrative) == plain(name, narrative), (name, narrative)
    assert lexed("clerical-work", "Review; print and mail") == "print and"


def test_unicode_text() -> None:
    for narrative in (
        "R\u00e9vision du dossier; scan",
        "na\u00efve scan of caf\u00e9 receipts",
        "\u00c9valuation \u2014 wine",
        "scan\u00e9 documents",  # a longer word: not "scan"
        "\u00fcpload",
    ):
        for name in PLAIN:
            assert lexed(name, narrative) == plain(name, narrative), (name, narrative)


def test_a_match_after_an_earlier_false_start() -> None:
    # The first word that can start the pattern fails; the next one matches.
    assert lexed("clerical-work", "Call client; call court clerk") == "call court clerk"
    assert lexed("clerical-work", "Schedule review; schedule the deposition") == (
        "schedule the deposition"
    )


def test_repeated_tokens_are_all_tried() -> None:
    assert lexed("clerical-work", "copy the brief; copy and file") == "copy and"


def test_first_words_of_a_pattern() -> None:
    stems = first_words(re.compile(r"\b(?:scan(?:s|ned)?|e-?fil(?:e|ed)|organi[sz]e\b)"))
    assert stems is not None
    assert can_start("scanned", stems) and can_start("scan", stems)
    assert can_start("e", stems) and can_start("efiled", stems)
    assert can_start("organize", stems) and can_start("organise", stems)
    assert not can_start("rescan", stems)
    assert not can_start("file", stems)


def test_patterns_that_cannot_be_indexed_are_searched_whole() -> None:
    assert first_words(re.compile(r"(?:scan|fax)")) is None  # no opening \b
    assert first_words(re.compile(r"\b(?:scan|\w+ing)")) is None  # may start with any word
    lexer = Lexer({"any": (re.compile(r"\b(?:scan|\w+ing)"), None)})
    text = analyse_text("Reviewing the file")
    found = lexer.cues["any"].search(lexer.lex(text.low, text.tokens))
    assert found is not None and found.group() == "reviewing"


def test_the_token_table_stays_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    from legalops.guidelines.narrative import lexer as module

    monkeypatch.setattr(module, "_TABLE_MAX", 5)
    lexer = Lexer({"clerical": (lx.CLERICAL, lx.CLERICAL_GATE)})
    for narrative in ("scan one two three", "four five six seven scan", "eight nine scan"):
        text = analyse_text(narrative)
        found = lexer.cues["clerical"].search(lexer.lex(text.low, text.tokens))
        assert found is not None and found.group() == "scan"
    assert len(lexer.table) <= 5 + 4


WORDS = st.sampled_from(
    sorted(
        {
            *lx.CLERICAL_GATE,
            *lx.BILLING_GATE,
            *lx.LEARNING_GATE,
            *lx.words(
                "review copy and print the documents to up speed first class pre-bill invoices "
                "produced by defendant with team meeting office re about call court clerk"
            ),
        }
    )
)
SEPARATORS = st.sampled_from([" ", " ", " ", ", ", "; ", ". ", " - ", "-", "'s ", " & "])


@given(st.lists(st.tuples(WORDS, SEPARATORS), max_size=14))
def test_lexer_agrees_with_whole_text_search(parts: list[tuple[str, str]]) -> None:
    narrative = "".join(word + sep for word, sep in parts)
    for name in PLAIN:
        assert lexed(name, narrative) == plain(name, narrative), (name, narrative)


@given(st.text(max_size=50))
def test_lexer_agrees_on_any_text(narrative: str) -> None:
    assert tokenize(narrative.lower()) is not None
    for name in PLAIN:
        assert lexed(name, narrative) == plain(name, narrative), (name, narrative)
