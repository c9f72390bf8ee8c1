"""Where a key sits in a TOML file. `tomllib` reports no positions for keys, so a light scan of
the source text maps every key path (tables, array-of-tables entries, dotted and inline keys)
to the line it is written on; errors then name file, line and key."""

from __future__ import annotations

import re

Path = tuple[str | int, ...]

_ARRAY_TABLE = re.compile(r"^\s*\[\[\s*(.+?)\s*\]\]")
_TABLE = re.compile(r"^\s*\[\s*(.+?)\s*\]")
_KEY = re.compile(
    r"""^\s*((?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*'))*)\s*=(.*)$"""
)
_INLINE_TOKEN = re.compile(
    r"""([A-Za-z0-9_-]+|"[^"]*"|'[^']*')(?:\s*\.\s*([A-Za-z0-9_-]+|"[^"]*"|'[^']*'))*\s*=|[{}]|"(?:[^"\\]|\\.)*"|'[^']*'"""
)


def split_key(dotted: str) -> list[str]:
    parts = re.findall(r"""[A-Za-z0-9_-]+|"[^"]*"|'[^']*'""", dotted)
    return [part.strip("\"'") for part in parts]


class KeyLines:
    """Map of key path -> 1-based line, built once per file."""

    def __init__(self, source: str) -> None:
        self.lines: dict[Path, int] = {}
        self._scan(source)

    def _note(self, path: Path, number: int) -> None:
        self.lines.setdefault(path, number)

    def _scan(self, source: str) -> None:
        current: list[str | int] = []
        counters: dict[tuple[str, ...], int] = {}
        for number, text in enumerate(source.splitlines(), start=1):
            if array := _ARRAY_TABLE.match(text):
                name = tuple(split_key(array.group(1)))
                counters[name] = counters.get(name, -1) + 1
                current = [*name, counters[name]]
                self._note(tuple(current), number)
            elif table := _TABLE.match(text):
                current = list(split_key(table.group(1)))
                self._note(tuple(current), number)
            elif key := _KEY.match(text):
                path = (*current, *split_key(key.group(1)))
                self._note(path, number)
                self._inline(path, key.group(2), number)

    def _inline(self, base: Path, rest: str, number: int) -> None:
        """Keys inside `{ a = 1, b = { c = 2 } }` on the same line."""
        stack: list[Path] = [base]
        last: Path = base
        for token in _INLINE_TOKEN.finditer(rest):
            text = token.group()
            if text == "{":
                stack.append(last)
            elif text == "}":
                if len(stack) > 1:
                    stack.pop()
            elif token.group(1):
                last = (*stack[-1], *split_key(text.rstrip("= ")))
                self._note(last, number)

    def find(self, path: Path) -> int | None:
        """The line of `path`, else of its longest written prefix."""
        for end in range(len(path), 0, -1):
            found = self.lines.get(path[:end])
            if found is not None:
                return found
        return None
