"""`legalops import KIND FILE [--create-missing] [--dry-run]` (spec/cli.md).

Exit codes: 0 written (or nothing to change), 1 the file was rejected (every problem is
listed on stderr as FILE:ROW: COLUMN: message, nothing was written), 2 the file cannot be read.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from legalops.core import imports


class Command(BaseCommand):
    help = (
        "Import master data from CSV or .xlsx, all-or-nothing: firms, timekeepers, rates, "
        "matters, budgets. Re-running the same file changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        kinds = parser.add_subparsers(dest="kind", required=True, metavar="KIND")
        for kind, importer in imports.importers().items():
            sub = kinds.add_parser(kind, help=importer.description)
            sub.add_argument("file", metavar="FILE", help="CSV (UTF-8) or .xlsx (first sheet)")
            sub.add_argument(
                "--create-missing",
                action="store_true",
                help="create the firms, timekeepers and matters the file names but we lack",
            )
            sub.add_argument("--dry-run", action="store_true", help="check and report only")
        for name, spec in imports.commands().items():
            spec.add_arguments(kinds.add_parser(name, help=spec.help))

    def handle(self, *args: Any, **options: Any) -> None:
        kind = options["kind"]
        if kind in imports.commands():
            code = imports.commands()[kind].run(options, self.stdout, self.stderr)
        else:
            code = self._table(kind, options)
        if code:
            raise CommandError(
                f"import {kind}: {'rejected' if code == 1 else 'failed'}", returncode=code
            )

    def _table(self, kind: str, options: dict[str, Any]) -> int:
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            self.stderr.write(f"{path}: cannot read: {exc.strerror}")
            return 2
        try:
            result = imports.import_file(
                actor=None,
                kind=kind,
                name=str(path),
                data=data,
                create_missing=options["create_missing"],
                dry_run=options["dry_run"],
            )
        except imports.Unreadable as exc:
            self.stderr.write(str(exc))
            return 2
        if result.problems:
            for problem in result.problems:
                self.stderr.write(str(problem))
            count = len(result.problems)
            self.stderr.write(
                f"{path}: {count} problem{'' if count == 1 else 's'}; nothing was written"
            )
            return 1
        verb = "checked (dry run)" if options["dry_run"] else "imported"
        self.stdout.write(f"{path}: {verb} {kind}: {result.summary}")
        return 0
