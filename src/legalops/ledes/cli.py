"""`legalops ledes validate|convert` (contract: spec/cli.md). Imports nothing from Django.

Exit codes: 0 success; 1 input read and found invalid (or, for convert, not convertible);
2 usage error or unreadable input (the message on stderr names the file).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from typing import TextIO

from legalops.ledes.api import validate, validate_file
from legalops.ledes.formats import ALL_FORMATS, EXPERIMENTAL_FORMATS, normalize_format
from legalops.ledes.model import ParseResult

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"{self.prog}: error: {message}", file=sys.stderr)
        raise _UsageError


class _UsageError(Exception):
    pass


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="legalops ledes",
        description="LEDES e-billing files: validate and "
        "convert (1998B, 98BI, XML 2.0/2.1/2.2; LEDES 2000 read-only).",
    )
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    check = sub.add_parser("validate", help="validate LEDES files, reporting every problem")
    check.add_argument("files", nargs="+", metavar="FILE", help="LEDES files ('-' = stdin)")
    check.add_argument("--json", action="store_true", help="one JSON object per file per line")
    conv = sub.add_parser("convert", help="convert a LEDES file to another LEDES format")
    conv.add_argument("input", metavar="IN")
    conv.add_argument(
        "--to",
        required=True,
        metavar="FORMAT",
        help="target format: " + ", ".join(f for f in ALL_FORMATS if f != "LEDES2000"),
    )
    conv.add_argument("-o", "--output", metavar="OUT", help="output file (default: stdout)")
    conv.add_argument(
        "--currency", metavar="ISO", help="currency for invoices whose source has none (1998B)"
    )
    conv.add_argument(
        "--allow-loss",
        action="store_true",
        help="write even when values the target cannot carry are dropped",
    )
    return parser


def main(argv: Sequence[str]) -> int:
    try:
        args = _parser().parse_args(list(argv))
    except _UsageError:
        return EXIT_USAGE
    except SystemExit as stop:  # --help
        return int(stop.code or 0)
    try:
        if args.command == "validate":
            return _validate(args.files, as_json=args.json)
        return _convert(
            args.input, args.to, args.output, currency=args.currency, allow_loss=args.allow_loss
        )
    except BrokenPipeError:
        # The reader went away (`... | head`): stop quietly, as Unix tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK


def _validate(files: list[str], *, as_json: bool) -> int:
    unreadable = invalid = False
    for name in files:
        try:
            result = _validate_one(name)
        except OSError as exc:
            print(f"{name}: cannot read: {exc.strerror or exc}", file=sys.stderr)
            unreadable = True
            continue
        invalid = invalid or not result.valid
        if as_json:
            sys.stdout.write(json.dumps(result.as_json(name), ensure_ascii=False) + "\n")
        else:
            _print_human(name, result, sys.stdout)
    if unreadable:
        return EXIT_USAGE
    return EXIT_INVALID if invalid else EXIT_OK


def _validate_one(name: str) -> ParseResult:
    if name == "-":
        return validate(sys.stdin.buffer.read())
    if os.path.isdir(name):
        raise IsADirectoryError(21, "is a directory")
    return validate_file(name)


def _print_human(name: str, result: ParseResult, out: TextIO) -> None:
    verdict = "valid" if result.valid else "INVALID"
    fmt = result.format or "unknown format"
    if result.format in EXPERIMENTAL_FORMATS:
        fmt += ", experimental"
    if result.envelope:
        fmt += f", inside {result.envelope.upper()} envelope"
    out.write(
        f"{name}: {verdict} ({fmt}; {result.invoice_count} invoice(s), "
        f"{result.line_item_count} line item(s), {len(result.errors)} error(s), "
        f"{len(result.warnings)} warning(s))\n"
    )
    for issue in result.issues:
        out.write(f"{name}: {issue.level}: {issue.message} [{issue.code}]\n")


def _convert(
    source: str, target: str, output: str | None, *, currency: str | None, allow_loss: bool
) -> int:
    from legalops.ledes.conversion import ConversionError, convert

    fmt = normalize_format(target)
    if fmt is None:
        print(
            f"legalops ledes convert: unknown format {target!r}; use one of "
            f"{', '.join(ALL_FORMATS)}",
            file=sys.stderr,
        )
        return EXIT_USAGE
    try:
        data = sys.stdin.buffer.read() if source == "-" else _read_bytes(source)
    except OSError as exc:
        print(f"{source}: cannot read: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_USAGE
    try:
        text = convert(data, fmt, currency=currency, allow_loss=allow_loss)
    except ConversionError as exc:
        print(f"{source}: cannot convert to {fmt}:", file=sys.stderr)
        for reason in exc.reasons:
            print(f"{source}: {reason}", file=sys.stderr)
        return EXIT_INVALID
    return _write_output(text, output)


def _write_output(text: str, output: str | None) -> int:
    if output is None:
        sys.stdout.write(text)
        return EXIT_OK
    try:
        # newline="" keeps the writer's line endings exactly as produced.
        with open(output, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
    except OSError as exc:
        print(f"{output}: cannot write: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_OK


def _read_bytes(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()
