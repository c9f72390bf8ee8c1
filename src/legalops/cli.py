"""The `legalops` console script.

Pure-library commands (`ledes`, `review`) are dispatched before Django is imported, so that
they start fast and need no database (spec/cli.md). Everything else is a Django management
command run against the configured database.
"""

from __future__ import annotations

import importlib
import sys

# Commands that must never start Django: module path of a `main(argv) -> int` function.
PURE_COMMANDS: dict[str, str] = {
    "ledes": "legalops.ledes.cli",
    "review": "legalops.guidelines.cli",
}


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args and args[0] in PURE_COMMANDS:
        module = importlib.import_module(PURE_COMMANDS[args[0]])
        return int(module.main(args[1:]))
    from legalops.platform_cli import run_django_command

    return run_django_command(args)


if __name__ == "__main__":
    sys.exit(main())
