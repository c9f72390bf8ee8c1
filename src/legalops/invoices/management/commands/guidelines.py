from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from legalops.invoices.models import GuidelinesVersion
from legalops.invoices.rulebook import guidelines_load


class Command(BaseCommand):
    help = (
        "Manage guidelines versions: `load FILE` validates a guidelines file and stores it "
        "as a version (earlier versions are kept); `list` shows them."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="validate and store a guidelines file")
        load.add_argument("file", metavar="FILE")
        load.add_argument(
            "--draft",
            action="store_true",
            help="store as a draft (not used for reviews until published)",
        )
        sub.add_parser("list", help="list the stored versions")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "list":
            self._list()
            return
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{path}: cannot read: {exc.strerror}", returncode=2) from None
        try:
            version = guidelines_load(
                actor=None, data=data, filename=str(path), publish=not options["draft"]
            )
        except ValidationError as exc:
            raise CommandError("\n".join(exc.messages), returncode=2) from None
        self.stdout.write(
            f"stored {version.name} {version.version}, effective "
            f"{version.effective} ({version.status}, sha256 {version.sha256})"
        )

    def _list(self) -> None:
        for version in GuidelinesVersion.objects.order_by("-effective", "-created_at"):
            self.stdout.write(
                f"{version.effective}  {version.status:<9}  {version.version:<12} "
                f"{version.name}  {version.sha256[:12]}"
            )
