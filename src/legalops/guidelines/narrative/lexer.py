"""One pass over a narrative's words for every cue pattern at once.

Each cue of the rule-based classifier is a phrase pattern (lexicon.py) such as the clerical
one: some forty alternatives ("bates ...", "scan", "e-file", "calendar <word>" ...). Searching
each pattern over each narrative costs the regular-expression engine a try of every
alternative at every word start, for every rule: the hot path of a 200,000-line review.

The lexer turns that around. From each pattern it derives, once, the words an occurrence can
start with (its first-word index: a stem such as "bates", "scan" or "collat", and whether the
word must end there); each distinct token of the narratives is then looked up once in a table
that holds, as one integer of bits, which patterns it can start and which patterns' gate lists
(the classifier's "only when one of these words occurs" lists) it belongs to. A narrative's
mask is the OR of its tokens' bits: one dictionary look-up per word for all the rules
together. A pattern is then tried only when the mask says it can match, and only from the
first word that can start it, so the answer and its evidence (the matched words) are exactly
those of a search over the whole text.

The first-word index is read from the compiled pattern itself (`re`'s own parser), so a word
list edited in lexicon.py needs no second list here; a pattern whose first words cannot be
listed (none of ours) is simply searched whole.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

try:  # the parser of the standard `re` module (3.11+: re._parser)
    from re import _constants as _sre  # type: ignore[attr-defined]
    from re import _parser as _sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - an interpreter without it searches every pattern whole
    _sre = _sre_parse = None

_WORD_CHAR = re.compile(r"\w")
_RUNS = re.compile(r"\w+")
_TABLE_MAX = 100_000
_AT_ZERO = (0,)  # distinct tokens remembered (a full table is emptied and refilled)

Stem = tuple[str, bool]  # (first letters of the word, whether the word must end there)


class Lexed(NamedTuple):
    """A narrative as the lexer saw it: the lower-case text, its tokens that start or gate
    some pattern, and the OR of their bits."""

    low: str
    active: frozenset[str]
    mask: int


class Cue:
    """One phrase pattern behind the lexer: `search` answers as `pattern.search(low)` would,
    and `None` whenever the pattern's gate words are absent (when it has a gate)."""

    __slots__ = (
        "_lexer",
        "_match",
        "_offsets",
        "gate_bit",
        "name",
        "need",
        "pattern",
        "start_bit",
        "stems",
    )

    def __init__(
        self,
        lexer: Lexer,
        name: str,
        pattern: re.Pattern[str],
        gate_bit: int,
        start_bit: int,
        stems: tuple[Stem, ...] | None,
    ) -> None:
        self._lexer = lexer
        self.name = name
        self.pattern = pattern
        self.gate_bit = gate_bit
        self.start_bit = start_bit
        self.stems = stems  # None: cannot be indexed, searched whole
        self.need = gate_bit | (start_bit if stems is not None else 0)
        self._match = pattern.match
        self._offsets: dict[str, tuple[int, ...]] = {}  # token -> where its starting words are

    def search(self, lexed: Lexed) -> re.Match[str] | None:
        if lexed.mask & self.need != self.need:
            return None  # a gate word is missing, or no word can start the pattern
        if self.stems is None:
            return self.pattern.search(lexed.low)
        # Try the pattern only where a word that can start it stands, in text order: the
        # first success is the match a whole-text search finds (look-behinds and \b see the
        # text before the start). Every occurrence of such a token is tried; one inside a
        # longer word fails at the pattern's opening \b.
        low, table, bit, match = lexed.low, self._lexer.table, self.start_bit, self._match
        starts: list[int] = []
        for token in lexed.active:
            if table[token] & bit:
                offsets = self._offsets.get(token)
                if offsets is None:
                    offsets = self._learn(token)
                at = low.find(token)
                while at >= 0:
                    if offsets == _AT_ZERO:
                        starts.append(at)
                    else:
                        starts.extend([at + offset for offset in offsets])
                    at = low.find(token, at + 1)
        if len(starts) > 1:
            starts.sort()
        for start in starts:
            found = match(low, start)
            if found:
                return found
        return None

    def _learn(self, token: str) -> tuple[int, ...]:
        stems = self.stems or ()
        offsets = tuple(
            run.start() for run in _RUNS.finditer(token) if can_start(run.group(), stems)
        )
        if len(self._offsets) >= _TABLE_MAX:
            self._offsets.clear()
        self._offsets[token] = offsets
        return offsets

    def first(self, lexed: Lexed) -> str:
        """The matched words, stripped, or ""."""
        match = self.search(lexed)
        return match.group().strip() if match else ""


class Lexer:
    """The cue patterns of the classifier, indexed by the words that can start them."""

    def __init__(
        self, patterns: Mapping[str, tuple[re.Pattern[str], Iterable[str] | None]]
    ) -> None:
        self.cues: dict[str, Cue] = {}
        self._gates: dict[str, int] = {}  # gate word -> bits of the patterns it gates
        self._whole: dict[str, int] = {}  # stem that must be a whole word -> start bits
        self._prefix: dict[str, int] = {}  # stem a word may start with -> start bits
        bit = 1
        for name, (pattern, gate) in patterns.items():
            gate_bit = 0
            if gate is not None:
                gate_bit, bit = bit, bit << 1
                for word in gate:
                    self._gates[word] = self._gates.get(word, 0) | gate_bit
            start_bit, bit = bit, bit << 1
            stems = first_words(pattern)
            for stem, whole in stems or ():
                index = self._whole if whole else self._prefix
                index[stem] = index.get(stem, 0) | start_bit
            self.cues[name] = Cue(self, name, pattern, gate_bit, start_bit, stems)
        self._lengths = sorted({len(stem) for stem in self._prefix})
        self._initials = frozenset(stem[0] for stem in (*self._prefix, *self._whole))
        self._runs: dict[str, int] = {}  # word -> start bits
        self._table: dict[str, int] = {}  # every token seen -> its bits
        self.table: Mapping[str, int] = self._table
        self._seen: set[str] = set()  # the table's keys, for set operations in C
        self._active: set[str] = set()  # the tokens whose bits are not 0

    def lex(self, low: str, tokens: frozenset[str]) -> Lexed:
        """`tokens`: the distinct words of `low` (text.tokenize)."""
        if len(self._table) >= _TABLE_MAX:  # bounded; emptied between narratives only
            self._table.clear()
            self._seen.clear()
            self._active.clear()
        for token in tokens - self._seen:
            self._learn(token)
        active = tokens & self._active
        mask, table = 0, self._table
        for token in active:
            mask |= table[token]
        return Lexed(low, active, mask)

    def _learn(self, token: str) -> int:
        bits = self._gates.get(token, 0)
        if token.isalpha():
            runs: Iterable[str] = (token,)
        elif token.isascii():  # an ASCII token's only non-word characters: - and '
            runs = token.replace("'", "-").split("-")
        else:
            runs = _RUNS.findall(token)
        initials = self._initials
        for run in runs:
            if run and run[0] in initials:
                found = self._runs.get(run)
                bits |= self._run_bits(run) if found is None else found
        self._table[token] = bits
        self._seen.add(token)
        if bits:
            self._active.add(token)
        return bits

    def _run_bits(self, run: str) -> int:
        """The start bits of one word (a run of \\w characters), remembered: "doc" in a
        thousand "doc-0001234" tokens is looked at once."""
        bits = self._whole.get(run, 0)
        for end in self._lengths:
            if end > len(run):
                break
            bits |= self._prefix.get(run[:end], 0)
        if len(self._runs) < _TABLE_MAX:
            self._runs[run] = bits
        return bits


def can_start(run: str, stems: tuple[Stem, ...]) -> bool:
    """Whether a word (a run of \\w characters) can be the first word of a match."""
    return any(run == stem if whole else run.startswith(stem) for stem, whole in stems)


def first_words(pattern: re.Pattern[str]) -> tuple[Stem, ...] | None:
    """The stems a match of `pattern` (which must open with \\b) can start with; None when
    they cannot be listed (a pattern that may start anywhere, or an unknown construct)."""
    if _sre_parse is None:  # pragma: no cover
        return None
    items = list(_sre_parse.parse(pattern.pattern, pattern.flags).data)
    if not items or items[0] != (_sre.AT, _sre.AT_BOUNDARY):
        return None
    try:
        stems = _stems(items[1:], True, 0)
    except _Unlisted:
        return None
    if any(not stem for stem, _ in stems):
        return None  # an alternative that can start with no letter: index nothing
    return tuple(sorted(stems))


class _Unlisted(Exception):
    pass


_UNKNOWN: tuple[Any, Any] = ("unknown", None)  # "something follows": the word may go on


def _stems(items: list[tuple[Any, Any]], at_start: bool, depth: int) -> set[Stem]:
    """Stems of the word that starts where `items` starts (over-approximated: a stem may
    allow more words than the pattern does, never fewer)."""
    if depth > 60:
        raise _Unlisted
    if not items:
        return {("", False)}
    (op, av), rest = items[0], items[1:]
    if op is _sre.LITERAL:
        char = chr(av)
        if not _WORD_CHAR.match(char):
            return {("", True)}
        return {(char + stem, whole) for stem, whole in _stems(rest, False, depth + 1)}
    if op in (_sre.ASSERT, _sre.ASSERT_NOT):
        return _stems(rest, at_start, depth + 1)
    if op is _sre.AT:
        return _stems(rest, at_start, depth + 1) if at_start else {("", False)}
    if op is _sre.BRANCH:
        found: set[Stem] = set()
        for alternative in av[1]:
            found |= _stems(list(alternative) + rest, at_start, depth + 1)
        return found
    if op is _sre.SUBPATTERN:
        return _stems(list(av[-1]) + rest, at_start, depth + 1)
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT):
        low, _high, sub = av
        found = _stems(rest, at_start, depth + 1) if low == 0 else set()
        return found | _stems([*sub, _UNKNOWN], at_start, depth + 1)
    if op is _sre.IN:
        members = list(av)
        if all(kind is _sre.LITERAL for kind, _ in members):
            chars = [chr(value) for _, value in members]
            if not any(_WORD_CHAR.match(ch) for ch in chars):
                return {("", True)}
            if all(_WORD_CHAR.match(ch) for ch in chars) and len(chars) <= 4:
                return {
                    (ch + stem, whole)
                    for ch in chars
                    for stem, whole in _stems(rest, False, depth + 1)
                }
        return {("", False)}
    return {("", False)}
