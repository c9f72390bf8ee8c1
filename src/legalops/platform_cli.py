"""Running Django management commands as `legalops <command>`, with one-line errors.

A user mistake (bad DATABASE_URL, PostgreSQL down, unwritable data directory, database not
migrated) prints what to do, never a traceback.
"""

from __future__ import annotations

import gc
import os
import sys
from urllib.parse import urlsplit

from legalops import __version__

COMMANDS: list[tuple[str, str]] = [
    ("demo", "create the embedded database, load demo data, create a demo admin and serve"),
    ("serve", "serve the web UI and API with gunicorn (--port, --host)"),
    ("worker", "run background tasks and the periodic schedule"),
    ("migrate", "create or update the database tables"),
    ("createadmin", "create a legal-operations administrator"),
    ("createuser", "create a user with a role (--role, --firm for firm users)"),
    ("token", "manage API tokens (token create --user NAME)"),
    ("seed", "load deterministic synthetic data (--scale small|medium|large, --seed N)"),
    (
        "import",
        "import LEDES invoices, invoice history, payments, firms, timekeepers, rates, "
        "matters or budgets",
    ),
    ("ledes", "validate and convert LEDES invoice files (no database needed)"),
    ("review", "review LEDES invoices against a guidelines file offline (no database needed)"),
    ("guidelines", "load a billing guidelines file as a new version (guidelines load FILE)"),
    ("invoices", "show or list invoices in the database (invoices show NUMBER [--json])"),
    ("kpi", "KPIs over the database (--from, --to, --by, --json)"),
    ("rollups", "rebuild the dashboards' monthly rollups (rollups rebuild)"),
    ("backtest", "replay a guidelines version over past invoices and report the difference"),
    ("export", "export reports: kpi --xlsx OUT [--from DATE] [--to DATE] (Excel with charts)"),
    ("reports", "email scheduled report packs (reports send-packs [--month YYYY-MM] [--dry-run])"),
]
# Commands that work without a database connection at all.
NO_DATABASE = {
    "help",
    "version",
    "makemigrations",
    "collectstatic",
    "check",
    "diffsettings",
    "startapp",
    "startproject",
    "compilemessages",
    "makemessages",
}
# Commands that need the tables to exist (everything ours except `demo`, which migrates).
NEEDS_MIGRATED = {
    "serve",
    "worker",
    "seed",
    "createadmin",
    "createuser",
    "token",
    "runserver",
    "db_worker",
    "import",
    "guidelines",
    "invoices",
    "kpi",
    "export",
    "backtest",
    "rollups",
    "reports",
}


def usage() -> str:
    width = max(len(name) for name, _ in COMMANDS)
    lines = [
        f"legalops {__version__}: legal operations platform",
        "",
        "usage: legalops <command> [options]",
        "",
        "commands:",
    ]
    lines += [f"  {name.ljust(width)}  {text}" for name, text in COMMANDS]
    lines += [
        "",
        "Every Django management command also works (legalops help --commands lists them);",
        "legalops help <command> shows a command's options.",
    ]
    return "\n".join(lines)


def fail(message: str, code: int = 2) -> int:
    print(f"legalops: error: {message}", file=sys.stderr)
    return code


def run_django_command(args: list[str]) -> int:
    if not args or args[0] in {"-h", "--help"} or args == ["help"]:
        print(usage())
        return 0
    if args[0] in {"--version", "version"}:
        print(__version__)
        return 0
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "legalops.settings")
    # Imported here, not at the top: `legalops --help` and `version` need neither Django nor
    # the configuration.
    from legalops.config import ConfigError

    # Setting Django up creates only objects that live as long as the process (modules,
    # classes, URL and model registries), yet their number triggers several full collections
    # of the cyclic garbage collector on the way (about 100 ms of a `legalops kpi` process).
    # Collect nothing until then and leave those objects out of every later collection
    # (gc.freeze); the collector runs as usual for what the command itself allocates.
    gc.disable()
    try:
        import django

        django.setup()
    except ConfigError as exc:
        return fail(str(exc))
    finally:
        gc.freeze()
        gc.enable()
    return _execute(args)


def _execute(args: list[str]) -> int:
    from django.core.management import execute_from_command_line
    from django.db import DatabaseError

    from legalops.config import ConfigError

    command = args[0]
    try:
        if command not in NO_DATABASE:
            check_database(needs_migrated=command in NEEDS_MIGRATED)
        execute_from_command_line(["legalops", *args])
    except ConfigError as exc:
        return fail(str(exc))
    except DatabaseError as exc:
        return fail(f"database error: {first_line(exc)}")
    except KeyboardInterrupt:
        return 130
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return 0


def first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def database_label() -> str:
    """Where the database is, without its password."""
    from django.db import connection

    params = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"SQLite file {params['NAME']}"
    url = urlsplit(os.environ.get("DATABASE_URL", ""))
    host = params.get("HOST") or url.hostname or "localhost"
    user, port = params.get("USER") or "", params.get("PORT") or 5432
    return f"PostgreSQL {user}@{host}:{port}/{params['NAME']}"


def check_database(*, needs_migrated: bool) -> None:
    from django.db import OperationalError, connection

    from legalops.config import ConfigError

    try:
        connection.ensure_connection()
    except OperationalError as exc:
        raise ConfigError(
            f"cannot connect to the database ({database_label()}): {first_line(exc)}. "
            "Is it running and is DATABASE_URL right?"
        ) from None
    if not needs_migrated:
        return
    pending = pending_migrations()
    if pending:
        raise ConfigError(
            f"the database ({database_label()}) is not migrated "
            f"({pending} migrations pending): run `legalops migrate`"
        )


def pending_migrations() -> int:
    """How many migrations `legalops migrate` would apply. When every migration file on disk
    is recorded as applied, none (the usual case, answered without importing the ~60
    migration modules and building their graph: a tenth of `legalops kpi`'s start-up);
    otherwise Django's own plan decides (squashed migrations, a new file, a fresh database)."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor
    from django.db.migrations.recorder import MigrationRecorder

    if migration_files() <= set(MigrationRecorder(connection).applied_migrations()):
        return 0
    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def migration_files() -> set[tuple[str, str]]:
    """(app label, migration name) of every migration module on disk, found the way Django's
    MigrationLoader finds them, without importing them."""
    import pkgutil
    from importlib import import_module

    from django.apps import apps
    from django.db.migrations.loader import MigrationLoader

    found: set[tuple[str, str]] = set()
    for app in apps.get_app_configs():
        module_name, _ = MigrationLoader.migrations_module(app.label)
        try:
            module = import_module(module_name) if module_name else None
        except ModuleNotFoundError:
            continue
        for _, name, is_pkg in pkgutil.iter_modules(getattr(module, "__path__", [])):
            if not is_pkg and name[0] not in "_~":
                found.add((app.label, name))
    return found
