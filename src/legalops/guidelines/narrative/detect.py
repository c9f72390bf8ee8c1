"""The deterministic narrative classifier: phrase patterns, task segmentation and verb/object
analysis over `text.analyse_text`, with the invoice's own timekeeper names for internal
conferences. Every cue carries the words that fired it, so each flag can show its evidence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from legalops.guidelines.narrative import lexicon as lx
from legalops.guidelines.narrative.lexicon import words
from legalops.guidelines.narrative.model import Cue, Event, NarrativeContext, NarrativeFindings
from legalops.guidelines.narrative.text import Clause, Text, analyse_text, tokenize

_MEETING_HEADS = words(
    "call calls called calling conference conferences meeting meetings meet met meets meeting "
    "telephone phone confer conferred conferring confers discuss discussed discussing discussion "
    "discussions interview interviews interviewed interviewing meet-and-confer speak spoke talk "
    "talked t/c tc o/c"
)
_TOPIC_VERBS = words("discuss discussed discussing advise advised answer answered respond")
_PREP_WORDS = re.compile(r"\b(?:prepar\w*|outline\w*|summar\w*|digest\w*|notice\w*|transcripts?)\b")
_PARTICIPANTS = re.compile(r"\b(?:with|between|among)\s+(.*)")
_ADDRESSEE = re.compile(r"\b(?:to|from)\s+(.*)")
# Heads say what was done, not to what; attendance and travel heads name an event or a trip,
# and "reply"/"answer" mostly name a document ("reply brief", "answer and defenses").
_NON_CONTENT = (
    lx.GENERIC
    | lx.STOPWORDS
    | frozenset(
        word
        for word, family in lx.HEADS.items()
        if family not in ("attend", "travel") and word not in ("reply", "answer")
    )
)


class RuleBasedClassifier:
    """Implements `NarrativeClassifier` with word lists (lexicon.py); no model, no download."""

    name = "rule-based"

    def analyse(self, narrative: str, context: NarrativeContext) -> NarrativeFindings:
        return _analysed(narrative, context)


# Invoices repeat narratives ("Review documents produced by defendant" all week): the findings
# are remembered by text and context (kind, activity code, the invoice's roster), and the parsed
# text by itself for the same narrative in another context. Findings are read-only.
@lru_cache(maxsize=16384)
def _analysed(narrative: str, context: NarrativeContext) -> NarrativeFindings:
    text = _parsed(narrative)
    if context.kind == "E":
        return _expense_findings(text)
    return _fee_findings(text, context)


@lru_cache(maxsize=16384)
def _parsed(narrative: str) -> Text:
    return analyse_text(narrative)


def _expense_findings(text: Text) -> NarrativeFindings:
    cues: dict[str, Cue] = {}
    luxury = lx.LUXURY.search(text.low)
    if luxury and not lx.LUXURY_NEGATED.search(text.low):
        cues["luxury-travel"] = Cue((luxury.group(),))
    return NarrativeFindings(cues, (), None, "")


def _fee_findings(text: Text, context: NarrativeContext) -> NarrativeFindings:
    cues: dict[str, Cue] = {}
    tasks = _tasks(text)
    if _distinct_work(tasks) >= 2 or (text.timed_parts >= 2 and len(tasks) >= 2):
        cues["block-billing"] = Cue(tuple(c.text for c in tasks), f"{len(tasks)} tasks")
    clerical = _search(lx.CLERICAL, lx.CLERICAL_GATE, text)
    learning = _cue(lx.LEARNING, lx.LEARNING_GATE, text)
    if clerical:
        cues["clerical-work"] = Cue((clerical,))
    elif learning is None:
        # Clerical work and read-in time are not payable however well described, so their own
        # rules decide; "vague" is for work that would be payable if it said what it was.
        _add(cues, "vague-description", _vague(text))
    _add(cues, "internal-conference", _internal(text, context))
    _add(cues, "learning-curve", learning)
    _add(cues, "billing-administration", _cue(lx.BILLING, lx.BILLING_GATE, text))
    _add(cues, "legal-research", _research(text, context))
    _add(cues, "non-working-travel", _travel(text))
    _add(cues, "work-below-level", _level(text, clerical))
    event = _event(text, clerical)
    if event:
        cues["multiple-attendance"] = Cue((event.words,), event.kind)
    approval = (
        lx.APPROVAL.search(text.low) if not lx.APPROVAL_GATE.isdisjoint(text.tokens) else None
    )
    return NarrativeFindings(
        cues, tuple(c.text for c in tasks), event, approval.group() if approval else ""
    )


def _add(cues: dict[str, Cue], rule: str, cue: Cue | None) -> None:
    if cue is not None:
        cues[rule] = cue


def _search(pattern: re.Pattern[str], gate: frozenset[str], text: Text) -> str:
    """Run a pattern only when one of its gate words is present (the hot path at 200k lines)."""
    if gate.isdisjoint(text.tokens):
        return ""
    match = pattern.search(text.low)
    return match.group().strip() if match else ""


def _cue(pattern: re.Pattern[str], gate: frozenset[str], text: Text) -> Cue | None:
    found = _search(pattern, gate, text)
    return Cue((found,)) if found else None


# --- block billing --------------------------------------------------------------------------
def _tasks(text: Text) -> list[Clause]:
    """Task clauses that count: not clerical/transmittal steps, not the write-up of findings."""
    return [
        c
        for c in text.clauses
        if c.family
        and c.family != "clerical"
        and not (c.text.startswith(_REPORT_STARTS) and lx.REPORT_FINDINGS.match(c.text))
    ]


# How every REPORT_FINDINGS match starts: a cheap test before the regex.
_REPORT_STARTS = ("summar", "report", "memoriali")


def _distinct_work(tasks: list[Clause]) -> int:
    return len({c.family for c in tasks})


# --- vague description ----------------------------------------------------------------------
def content_words(words: Iterable[str], enough: int = 0) -> set[str]:
    """Distinct words that say what or why: not generic, not a verb of work, not a number.
    The set difference runs in C and leaves only a few words for the Python loop, which stops
    once `enough` (when given) are found."""
    found = set()
    cleaned = _CLEANED.get
    for raw in frozenset(words) - _NON_CONTENT:
        word = cleaned(raw)
        if word is None:
            word = _clean(raw)
        if word:
            found.add(word)
            if len(found) == enough:
                break
    return found


def _clean(raw: str) -> str:
    """The content word a token stands for ("client's" -> "client"), or "" when it is none;
    remembered: the same words recur across a big file's narratives."""
    word = raw.strip("'-")
    word = word[:-2] if word.endswith("'s") else word
    if word in _NON_CONTENT or len(word) <= 1 or word[0].isdigit():
        word = ""
    if len(_CLEANED) >= 100_000:
        _CLEANED.clear()
    _CLEANED[raw] = word
    return word


_CLEANED: dict[str, str] = {}


def _vague(text: Text) -> Cue | None:
    content = content_words(text.tokens, enough=3)
    heads = [c for c in text.clauses if c.head]
    if len(content) < lx.VAGUE_MIN_WORDS:
        return Cue((text.low,), "names no specific document, issue or purpose")
    if not heads and len(content) < 3:
        return Cue((text.low,), "names no task")
    if not heads or not all(c.head in _MEETING_HEADS for c in heads):
        return None
    # Only a narrative of meetings alone must say what they were about.
    if lx.TOPIC_MARKERS.search(text.low) or any(c.head in _TOPIC_VERBS for c in heads):
        return None
    return Cue((text.low,), "says who was spoken to but not what about")


# --- internal conference --------------------------------------------------------------------
def _internal(text: Text, context: NarrativeContext) -> Cue | None:
    phrase = (
        lx.INTERNAL_PHRASES.search(text.low)
        if "team" in text.tokens or "office" in text.low or "internal" in text.tokens
        else None
    )
    if phrase:
        return Cue((phrase.group(),), "internal meeting")
    for clause in text.clauses:
        if clause.family != "comm":
            continue
        cue = _internal_participants(clause, text, context)
        if cue:
            return cue
    return None


def _internal_participants(clause: Clause, text: Text, context: NarrativeContext) -> Cue | None:
    for who in _participants(clause):
        if lx.EXTERNAL_ROLES.search(who):
            continue
        original = _original_slice(text, who)
        role = lx.INTERNAL_ROLES.search(who)
        names = context.roster.mentioned(who, original)
        if role or names:
            return Cue(tuple(names) or (role.group() if role else who,), f"with {original.strip()}")
    if context.activity_code.upper() == "A105":
        return Cue((clause.text,), "activity code A105 (communicate within firm)")
    return None


def _participants(clause: Clause) -> list[str]:
    found = []
    for pattern in (_PARTICIPANTS, _ADDRESSEE):
        match = pattern.search(clause.text)
        if match:
            found.append(lx.PARTICIPANT_END.split(match.group(1), maxsplit=1)[0].strip())
    return [who for who in found if who]


def _original_slice(text: Text, who: str) -> str:
    start = text.low.find(who)
    if start < 0 or len(text.low) != len(text.original):
        return who
    return text.original[start : start + len(who)]


# --- research, travel, level of work --------------------------------------------------------
def _research(text: Text, context: NarrativeContext) -> Cue | None:
    found = _search(lx.RESEARCH, lx.RESEARCH_GATE, text)
    if found:
        return Cue((found,))
    if context.activity_code.upper() == "A102":
        return Cue(("A102",), "activity code A102 (research)")
    return None


def _travel(text: Text) -> Cue | None:
    if lx.TRAVEL_GATE.isdisjoint(text.tokens):
        return None
    travel = [c for c in text.clauses if lx.TRAVEL_CLAUSE.match(c.text)]
    working = [c for c in text.clauses if c not in travel and lx.WORKING_TRAVEL.search(c.text)]
    if travel and not working:
        return Cue((travel[0].text,))
    included = lx.TRAVEL_INCLUDED.search(text.low)
    return Cue((included.group(),), "travel included") if included and not working else None


def _level(text: Text, clerical: str) -> Cue | None:
    if clerical:
        return Cue((clerical,), "clerical")
    paralegal = _search(lx.PARALEGAL_LEVEL, lx.PARALEGAL_GATE, text)
    if paralegal:
        return Cue((paralegal,), "paralegal")
    associate = _search(lx.ASSOCIATE_LEVEL, lx.ASSOCIATE_GATE, text)
    return Cue((associate,), "associate") if associate else None


# --- attendance events ----------------------------------------------------------------------
def _event(text: Text, clerical: str) -> Event | None:
    """The first attended event; logistics ("call court clerk for status") are not attendance."""
    for clause in text.clauses:
        if clerical and clerical in clause.text:
            continue
        kind = _event_kind(clause)
        if kind:
            return Event(kind, _event_key(clause), clause.text)
    return None


def _event_kind(clause: Clause) -> str:
    if clause.family == "attend":
        if clause.head in ("deposition", "hearing") and _PREP_WORDS.search(clause.text):
            return ""
        if lx.COURT_CONFERENCE.search(clause.text):
            return "hearing"
        noun = lx.EVENT_NOUN.search(clause.text)
        if noun:
            return lx.EVENT_KINDS[noun.group(1)]
        if clause.head.startswith("inspect"):
            return "inspection"
        return "hearing" if clause.head.startswith(("argu", "appear", "second-chair")) else ""
    if clause.family == "comm" and clause.head in _MEETING_HEADS:
        return "interview" if clause.head.startswith("interview") else "meeting"
    return ""


def _event_key(clause: Clause) -> frozenset[str]:
    """Content words naming the event (deponent, motion, participants): two lines share an
    event when they share one of these, or when either names nothing beyond the event."""
    return frozenset(content_words(tokenize(clause.text)) - lx.EVENT_KINDS.keys())
