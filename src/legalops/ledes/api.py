"""Entry points: parse, validate and stream LEDES files of any supported format.

`parse` keeps every invoice in memory; `validate_file` and `stream` read a file line by line
and keep only per-invoice summaries, so a 1,000,000-line file validates in bounded memory.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from os import PathLike
from typing import BinaryIO

from legalops.ledes.checks import Sink
from legalops.ledes.model import Invoice, Issue, ParseResult
from legalops.ledes.source import decode_text, sniff, unwrap_mime
from legalops.ledes.text import TextScanner

Source = bytes | str
PathOrFile = str | PathLike[str] | BinaryIO
_SNIFF_BYTES = 4096


def parse(data: bytes | str, *, filename: str | None = None) -> ParseResult:
    """Parse and validate one LEDES file held in memory.

    The format is detected from content (never from `filename`, which only labels messages);
    an S/MIME envelope is removed first (`result.envelope == "smime"`). Never raises on bad
    input: every problem is an `Issue` in `result.issues`.
    """
    return _run(data, build=True)


def validate(data: bytes | str, *, filename: str | None = None) -> ParseResult:
    """Like `parse` but without building records (faster; `result.invoices` is empty,
    `result.invoice_count` still counts them)."""
    return _run(data, build=False)


def validate_file(
    path: str | PathLike[str], *, on_issue: Callable[[Issue], None] | None = None
) -> ParseResult:
    """Validate a file from disk in bounded memory (text formats are read line by line).

    With `on_issue`, issues are handed over as they are found instead of being kept.
    """
    with open(path, "rb") as handle:
        head = handle.read(_SNIFF_BYTES)
        if sniff(head) != "text":  # XML and S/MIME inputs are read whole
            return _run(head + handle.read(), build=False)
    sink = Sink(on_issue)
    scanner = TextScanner(sink, build=False)
    with open(path, encoding="utf-8", errors="surrogateescape", newline="") as text:
        scanner.run(text)
    return _result(scanner.format, None, scanner, sink)


def stream(source: PathOrFile) -> LedesStream:
    """Iterate over the invoices of a file in bounded memory; after the loop, the stream's
    `result` holds the format and every issue (invoices are not kept in it).

    >>> s = stream("big.txt")                                     # doctest: +SKIP
    >>> for invoice in s: ...                                     # doctest: +SKIP
    >>> s.result.valid                                            # doctest: +SKIP
    """
    return LedesStream(source)


class LedesStream:
    """Iterator of `Invoice` records, yielded as each invoice's lines end."""

    def __init__(self, source: PathOrFile) -> None:
        self._source = source
        self.result: ParseResult | None = None

    def __iter__(self) -> Iterator[Invoice]:
        if isinstance(self._source, (str, PathLike)):
            with open(self._source, "rb") as handle:
                yield from self._drive(handle)
        else:
            yield from self._drive(self._source)

    def _drive(self, handle: BinaryIO) -> Iterator[Invoice]:
        head = handle.read(_SNIFF_BYTES)
        if sniff(head) != "text":  # XML and S/MIME inputs are read whole
            result = _run(head + handle.read(), build=True)
            self.result = _without_invoices(result)
            yield from result.invoices
            return
        sink = Sink()
        scanner = TextScanner(sink, build=True)
        yield from scanner.iterate(_text_lines(head, handle), stream=True)
        self.result = _result(scanner.format, None, scanner, sink)


def _without_invoices(result: ParseResult) -> ParseResult:
    return ParseResult(
        result.format,
        result.envelope,
        (),
        result.issues,
        result.line_item_count,
        result.invoice_count,
    )


def _text_lines(head: bytes, handle: BinaryIO) -> Iterator[str]:
    """Decoded lines (endings kept) of a binary stream whose first bytes were already read."""
    rest = io.BufferedReader(_Prefixed(head, handle))
    wrapper = io.TextIOWrapper(rest, encoding="utf-8", errors="surrogateescape", newline="")
    first = True
    for line in wrapper:
        if first:
            line = line.removeprefix("\ufeff")
            first = False
        yield line


class _Prefixed(io.RawIOBase):
    """A raw stream that replays `head` and then reads on from `tail`."""

    def __init__(self, head: bytes, tail: BinaryIO) -> None:
        self._head = memoryview(head)
        self._tail = tail

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        chunk = self._tail.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)


def _run(data: bytes | str, *, build: bool) -> ParseResult:
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    kind = sniff(raw[:_SNIFF_BYTES])
    envelope = None
    if kind == "mime":
        unwrapped = unwrap_mime(raw)
        envelope = unwrapped.envelope
        if unwrapped.payload is None:
            issues = (unwrapped.issue,) if unwrapped.issue else ()
            return ParseResult(None, envelope, (), issues)
        raw = unwrapped.payload
        kind = sniff(raw[:_SNIFF_BYTES])
    sink = Sink()
    if kind == "empty":
        sink.error("empty", None, None, "the file is empty: no invoice in it")
        return ParseResult(None, envelope, (), tuple(sink.issues))
    if kind == "xml":
        from legalops.ledes.xml_read import read_xml

        return read_xml(raw, sink, envelope=envelope, build=build)
    scanner = TextScanner(sink, build=build)
    scanner.run(io.StringIO(decode_text(raw), newline=""))
    return _result(scanner.format, envelope, scanner, sink)


def _result(fmt: str | None, envelope: str | None, scanner: TextScanner, sink: Sink) -> ParseResult:
    issues = sorted(sink.issues, key=_position)
    return ParseResult(
        fmt,
        envelope,
        tuple(scanner.invoices),
        tuple(issues),
        scanner.records,
        scanner.invoice_count,
    )


def _position(issue: Issue) -> int:
    return issue.line if issue.line is not None else 0
