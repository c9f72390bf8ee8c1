"""`legalops` as a user runs it: a separate process, a fresh data directory, real errors."""

import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

LEGALOPS = [sys.executable, "-m", "legalops.cli"]


def legalops(*args, data_dir, env=None, stdin=None, timeout=120):
    environment = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    environment["LEGALOPS_DATA_DIR"] = str(data_dir)
    environment.update(env or {})
    return subprocess.run(
        [*LEGALOPS, *args],
        capture_output=True,
        text=True,
        env=environment,
        input=stdin,
        timeout=timeout,
        check=False,
    )


def assert_one_line_error(result, *fragments):
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert lines[0].startswith("legalops: error: ")
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


def test_help_lists_the_commands(tmp_path):
    result = legalops("--help", data_dir=tmp_path)
    assert result.returncode == 0
    for command in (
        "demo",
        "serve",
        "worker",
        "migrate",
        "createadmin",
        "createuser",
        "token",
        "seed",
        "import",
        "ledes",
        "review",
        "guidelines",
        "invoices",
        "kpi",
        "rollups",
        "backtest",
        "export",
        "reports",
    ):
        assert f"  {command} " in result.stdout


def test_django_commands_work_too(tmp_path):
    result = legalops("help", "--commands", data_dir=tmp_path)
    assert result.returncode == 0 and "showmigrations" in result.stdout


def test_a_wrong_database_url_is_one_line(tmp_path):
    result = legalops("migrate", data_dir=tmp_path, env={"DATABASE_URL": "mysql://a@b/c"})
    assert_one_line_error(result, "DATABASE_URL", "not supported")


def test_unreachable_postgres_is_one_line(tmp_path):
    url = "postgres://nobody@127.0.0.1:1/nothing"
    result = legalops("migrate", data_dir=tmp_path, env={"DATABASE_URL": url})
    assert_one_line_error(result, "cannot connect to the database", "127.0.0.1:1")


def test_an_unusable_data_directory_is_one_line(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("a file, not a directory")
    result = legalops("migrate", data_dir=blocker)
    assert_one_line_error(result, "not writable", "LEGALOPS_DATA_DIR")


def test_an_unmigrated_database_says_to_migrate(tmp_path):
    result = legalops(
        "createuser", "--username", "x", "--role", "admin", "--no-password", data_dir=tmp_path
    )
    assert_one_line_error(result, "not migrated", "legalops migrate")


def test_demo_on_a_fresh_machine_loads_data_and_prints_the_login(tmp_path):
    result = legalops("demo", "--no-serve", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "username: admin" in result.stdout and "password: demo-" in result.stdout
    assert (tmp_path / "legalops.sqlite3").exists()
    again = legalops("demo", "--no-serve", data_dir=tmp_path)
    assert again.returncode == 0 and "reusing it" in again.stdout
    password = again.stdout.split("password: ")[1].split()[0]
    check = legalops(
        "shell",
        "-c",
        "from django.contrib.auth import authenticate; "
        f"print(authenticate(username='admin', password='{password}'))",
        data_dir=tmp_path,
    )
    assert check.stdout.strip().splitlines()[-1] == "admin"


@pytest.mark.parametrize("command", ["ledes", "review"])
def test_pure_library_commands_do_not_start_django(tmp_path, command):
    probe = (
        "import sys; from legalops.cli import main\n"
        f"try:\n    main([{command!r}, '--help'])\nexcept SystemExit:\n    pass\n"
        "print('DJANGO' if 'django' in sys.modules else 'NO-DJANGO')"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        env={**os.environ, "LEGALOPS_DATA_DIR": str(tmp_path)},
        check=False,
    )
    assert result.stdout.strip().splitlines()[-1] == "NO-DJANGO", result.stderr


def test_the_console_script_is_installed():
    script = Path(sys.executable).with_name("legalops")
    assert script.exists()


def free_port():
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_page(server, url, *, seconds):
    """The page once the server answers; fails early with its output if it died. Generous:
    collectstatic runs first and the machine may be busy."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"the server exited: {server.stdout.read().decode()[-2000:]}")
        try:
            return urllib.request.urlopen(url, timeout=2).read().decode()
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"the server did not answer within {seconds}s")


def test_serve_runs_gunicorn_with_static_files(tmp_path):

    assert legalops("migrate", data_dir=tmp_path).returncode == 0
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["LEGALOPS_DATA_DIR"] = str(tmp_path)
    server = subprocess.Popen(
        [*LEGALOPS, "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        page = _wait_for_page(server, base + "/", seconds=240)
        assert 'name="password"' in page
        css = re.search(r'href="(/static/legalops/app\.[0-9a-f]+\.css)"', page)
        assert css, "collectstatic gave the stylesheet a hashed name"
        response = urllib.request.urlopen(base + css.group(1), timeout=5)
        assert response.status == 200 and "max-age" in response.headers["Cache-Control"]
    finally:
        server.terminate()
        server.wait(timeout=20)
