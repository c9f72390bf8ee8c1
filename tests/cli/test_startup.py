"""What a command imports at start-up (docs/dashboards.md, "kpi --json start-up"): a whole
`legalops kpi --json` process must fit in a second, so the report commands do not import the
API (django-ninja and pydantic), the URLconf, the Excel/PDF writers, the spreadsheet reader,
the LEDES intake or the guidelines engine they never use; `legalops --help` imports neither
Django nor the configuration. Each probe runs the command in a fresh process and prints what
it imported."""

import json
import os
import subprocess
import sys

import pytest

# Modules the `kpi` command never uses, each of which costs start-up time when imported.
NOT_FOR_KPI = (
    "legalops.urls",
    "legalops.api",
    "ninja",
    "pydantic",
    "django.test",
    "xlsxwriter",
    "weasyprint",
    "python_calamine",
    "legalops.guidelines.engine",
    "legalops.ledes.api",
    "legalops.invoices.intake",
    "legalops.invoices.history",
    "legalops.core.tasks",
    "legalops.reports.tasks",
    "legalops.vendors.imports",
)


def imported_by(args, data_dir):
    """The module names a `legalops ARGS` process had imported when it finished, and its
    exit code."""
    probe = (
        "import json, sys\nfrom legalops.cli import main\n"
        f"try:\n    code = main({list(args)!r})\nexcept SystemExit as exc:\n    code = exc.code\n"
        "print(json.dumps({'code': code, 'modules': sorted(sys.modules)}))"
    )
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL"}}
    env["LEGALOPS_DATA_DIR"] = str(data_dir)
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=False
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    return report["code"], set(report["modules"])


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("startup")
    code, _ = imported_by(["migrate", "--verbosity", "0"], data_dir)
    assert code == 0
    return data_dir


def test_help_imports_neither_django_nor_the_configuration(tmp_path):
    code, modules = imported_by(["--help"], tmp_path)
    assert code == 0
    assert not {"django", "pydantic", "pydantic_settings", "legalops.config"} & modules


def test_kpi_json_imports_only_what_it_uses(migrated):
    code, modules = imported_by(["kpi", "--json"], migrated)
    assert code == 0
    assert "legalops.reports.kpis_report" in modules  # the probe saw the command run
    assert sorted(set(NOT_FOR_KPI) & modules) == []


def test_the_registries_still_fill_on_first_use(migrated):
    """The importers and periodic jobs no longer register at start-up: what lists them
    imports them (the same lists as before, in INSTALLED_APPS order)."""
    probe = (
        "import django, json\ndjango.setup()\n"
        "from legalops.core import imports, schedule\n"
        "print(json.dumps([list(imports.importers()), list(imports.commands()),"
        " list(schedule.jobs())]))"
    )
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL"}}
    env.update(LEGALOPS_DATA_DIR=str(migrated), DJANGO_SETTINGS_MODULE="legalops.settings")
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=True
    )
    importers, commands, jobs = json.loads(result.stdout.strip().splitlines()[-1])
    assert importers == ["firms", "timekeepers", "rates", "matters", "budgets", "payments"]
    assert commands == ["ledes", "history"]
    assert jobs[:3] == ["clear-expired-sessions", "prune-login-failures", "prune-task-results"]
    assert {"budget-alerts", "approval-escalation", "backtests-stale", "report-packs"} <= set(jobs)


def test_the_migration_check_counts_what_migrate_would_apply(db):
    """The start-up check answers "nothing pending" from the migration files on disk and the
    applied ones; anything missing still goes through Django's own plan."""
    from django.db.migrations.recorder import MigrationRecorder

    from legalops.config import ConfigError
    from legalops.platform_cli import check_database, migration_files, pending_migrations

    applied = MigrationRecorder.Migration.objects
    assert ("reports", "0001_initial") in migration_files()
    assert migration_files() == set(applied.values_list("app", "name"))
    assert pending_migrations() == 0
    check_database(needs_migrated=True)
    applied.filter(app="reports").order_by("-name").first().delete()
    applied.filter(app="vendors").order_by("-name").first().delete()
    assert pending_migrations() == 2
    with pytest.raises(ConfigError, match=r"not migrated \(2 migrations pending\)"):
        check_database(needs_migrated=True)
