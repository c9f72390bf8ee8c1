"""Normalising a narrative and cutting it into task clauses.

Block billing is "two or more distinct tasks under one time value", so the analysis starts by
finding the tasks: hard separators (semicolons, sentence ends) always start a new clause; a
comma, "and", "then" or "thereafter" start one only when a task word follows (Legal Decoder
splits block narratives into sentences [LD-BLK-2]; Bottomline counts "and" tokens and verbs
[BTL-PAT]; reference/billing-guidelines.md §2.1).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from legalops.guidelines.narrative.lexicon import BROAD, HEADS, SKIPPABLE, words

_TRANSLATE = str.maketrans(
    {
        "\u2019": "'",
        "\u2018": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": " - ",
        "\u00a0": " ",
        "\u00a7": " section ",
    }
)
_TIMED = re.compile(r"\(\s*\d*\.?\d+\s*(?:h|hr|hrs|hours?)?\s*\)")
# Sentence ends that are not abbreviations ("Mr.", "re.", "J." initials) or decimals.
_ABBREVIATIONS = words("mr ms mrs dr re vs v no nos inc co corp ltd llc jr sr st e.g i.e etc u.s")
# Clause separators are found with plain string operations and one character-class split:
# regex alternations that start with optional whitespace cost ~15 us a narrative (x 200,000).
_SOFT = re.compile(
    r",\s*(?:(?:and|then)\s+)?| (?:and then|and|then|thereafter|followed by|plus|&) "
)
_HARD_MARKS = re.compile("([;\x00])")
_PUNCTUATION_CHARS = '!"#$%&()*+,./:;<=>?@[\\]^_`{|}~'
_PUNCTUATION = str.maketrans({ch: " " for ch in _PUNCTUATION_CHARS})
# bytes.translate is a C table look-up, several times faster than str.translate with a dict.
_ASCII_PUNCTUATION = bytes.maketrans(_PUNCTUATION_CHARS.encode(), b" " * len(_PUNCTUATION_CHARS))
# Fixed phrases that contain a separator word but are one task.
_FIXED = (
    ("meet and confer", "meet-and-confer"),
    ("review and approve", "review-and-approve"),
    ("second chair", "second-chair"),
    ("conference room", "conference-room"),
)


class Clause(NamedTuple):
    text: str
    head: str  # the task word that opens the clause ("" when none)
    family: str  # the head's kind of work (lexicon.HEADS), "" when none


class Text(NamedTuple):
    original: str  # whitespace-collapsed, case kept (for initials such as "CO")
    low: str
    tokens: frozenset[str]
    clauses: tuple[Clause, ...]
    timed_parts: int  # parenthetical per-task times such as "(1.2)"


def tokenize(low: str) -> list[str]:
    """Words of a lower-cased text: letters, digits, hyphens and apostrophes."""
    if low.isascii():
        return low.encode().translate(_ASCII_PUNCTUATION).decode().split()
    return low.translate(_PUNCTUATION).split()


def normalise(text: str) -> str:
    if not text.isascii():
        text = text.translate(_TRANSLATE)
    return " ".join(text.split())


def analyse_text(raw: str) -> Text:
    original = normalise(raw)
    low = original.lower()
    timed = 0
    body = low
    if "(" in low:
        timed = len(_TIMED.findall(low))
        if timed:  # most parentheses are not times: skip the second scan
            body = _TIMED.sub(" ", low)
    for phrase, joined in _FIXED:
        if phrase in body:
            body = body.replace(phrase, joined)
    tokens = frozenset(tokenize(low))
    return Text(original, low, tokens, tuple(_clauses(body)), timed)


def _has_separator(body: str) -> bool:
    """Whether a character or word that can separate tasks occurs (a narrative with none is one
    clause). Plain substring tests: a regex alternation here cost 5 us a narrative. `body` is
    normalised, so its only whitespace is single spaces."""
    return (
        ";" in body
        or "," in body
        or "." in body
        or ":" in body
        or "&" in body
        or " - " in body
        or " and " in body
        or " then " in body
        or " thereafter " in body
        or " followed by " in body
        or " plus " in body
    )


def _clauses(body: str) -> list[Clause]:
    if not _has_separator(body):
        head, family = task_head(body)
        return [Clause(body, head, family)]
    clauses: list[Clause] = []
    for part in _hard_parts(body):
        clauses.extend(_soft_clauses(part))
    return clauses


def _hard_parts(body: str) -> list[str]:
    """Split at ";", " - ", ": " and sentence ends (not after "Mr." or an initial)."""
    marked = body.replace(" - ", ";").replace(": ", ";").replace(". ", "\x00")
    if marked.endswith("."):
        marked = marked[:-1]
    if ";" not in marked and "\x00" not in marked:  # one part: skip the regex split
        piece = marked.strip(" ,.")
        return [piece] if piece else []
    pieces = _HARD_MARKS.split(marked)
    parts: list[str] = []
    for index in range(0, len(pieces), 2):
        piece = pieces[index].strip(" ,.")
        if not piece:
            continue
        after_period = index > 0 and pieces[index - 1] == "\x00"
        if parts and after_period and _ends_with_abbreviation(parts[-1]):
            parts[-1] = f"{parts[-1]}. {piece}"
        else:
            parts.append(piece)
    return parts


def _ends_with_abbreviation(text: str) -> bool:
    last = text.rsplit(" ", 1)[-1]
    return last in _ABBREVIATIONS or (len(last) == 1 and last.isalpha())


def _soft_clauses(part: str) -> list[Clause]:
    """Split at commas/"and"/"then" only where a task word follows; merge compound verbs."""
    if "," not in part and not (
        " and " in part
        or " then " in part
        or " thereafter " in part
        or " followed by " in part
        or " plus " in part
        or " & " in part
    ):
        head, family = task_head(part)
        return [Clause(part, head, family)]  # no `_SOFT` separator: one clause
    pieces = _SOFT.split(part)
    clauses: list[Clause] = []
    for piece in pieces:
        head, family = task_head(piece)
        if not clauses or (head and not _compound(clauses[-1], family)):
            clauses.append(Clause(piece, head, family))
        else:
            last = clauses[-1]
            clauses[-1] = Clause(f"{last.text} and {piece}", last.head, last.family)
    return clauses


def _compound(previous: Clause, family: str) -> bool:
    """ "review and revise the agreement": a bare verb joined to a verb of the same kind of
    work shares its object, so the two are one task."""
    tokens = previous.text.split()
    bare = len(tokens) <= 2 and (len(tokens) == 1 or tokens[1] in {"for", "on", "to", "with"})
    return bare and BROAD.get(previous.family, previous.family) == BROAD.get(family, family)


def task_head(clause: str) -> tuple[str, str]:
    """The task word opening a clause and its family, skipping fillers ("further", "multiple")."""
    # Most clauses open with their task word: settle that from the first word alone.
    space = clause.find(" ")
    first = (clause if space < 0 else clause[:space]).strip(_EDGE)
    if first not in TWO_WORD_STARTS:
        family = HEADS.get(first)
        if family:
            return first, family
        if first not in SKIPPABLE:
            return "", ""
    words = clause.split(" ", 6)[:6]
    for index, raw in enumerate(words[:5]):
        word = raw.strip(_EDGE)
        if word in TWO_WORD_STARTS and index + 1 < len(words):
            two = f"{word} {words[index + 1].strip(_EDGE)}"
            if two in HEADS:
                return two, HEADS[two]
        family = HEADS.get(word)
        if family:
            return word, family
        if word not in SKIPPABLE:
            return "", ""
    return "", ""


_EDGE = "(),.:'\""
TWO_WORD_STARTS = frozenset(head.split(" ", 1)[0] for head in HEADS if " " in head)
