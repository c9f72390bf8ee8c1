"""The WSGI module that `legalops serve` imports before forking its workers does the work of
a process's first request there (URLconf, URL reversing, templates), so that no worker's
first page pays it, and opens no database connection a forked worker would share."""

import os
import subprocess
import sys

PROBE = """
import sys
import legalops.wsgi
from django.db import connections
from django.urls import get_resolver
from django.urls.resolvers import URLResolver

resolver = get_resolver()
namespaces = [p for p in resolver.url_patterns if isinstance(p, URLResolver) and p.namespace]
print("api loaded", "legalops.api" in sys.modules)
print("reversing ready", resolver._populated and all(p._populated for p in namespaces))
print("no connection", all(c.connection is None for c in connections.all(initialized_only=True)))
import gc
print("start-up frozen", gc.get_freeze_count() > 10000, gc.isenabled())
"""


def test_importing_the_wsgi_module_prepares_a_process_without_touching_the_database(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["LEGALOPS_DATA_DIR"] = str(tmp_path)
    result = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "api loaded True",
        "reversing ready True",
        "no connection True",
        "start-up frozen True True",  # left out of the collector's passes, which still run
    ]


CLI_PROBE = """
import gc
from legalops.platform_cli import run_django_command
code = run_django_command(["check"])
print(code, gc.isenabled(), gc.get_freeze_count() > 10000)
"""


def test_a_command_runs_with_the_garbage_collector_on_and_start_up_frozen(tmp_path):
    """`run_django_command` keeps the collector off while Django sets up and freezes what
    that loaded; the command itself (a worker that runs for days) must collect as usual."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["LEGALOPS_DATA_DIR"] = str(tmp_path)
    result = subprocess.run(
        [sys.executable, "-c", CLI_PROBE], capture_output=True, text=True, env=env, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "0 True True"
