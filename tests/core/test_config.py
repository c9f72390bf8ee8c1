import os
import stat

import pytest

from legalops import config


def settings_with(monkeypatch, tmp_path, **env):
    monkeypatch.setenv("LEGALOPS_DATA_DIR", str(tmp_path))
    for key in ("DATABASE_URL", "LEGALOPS_SECRET_KEY", "LEGALOPS_EMAIL_URL"):
        monkeypatch.delenv(key, raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return config.load_settings()


def test_default_database_is_sqlite_in_the_data_dir_with_wal_and_busy_timeout(
    monkeypatch, tmp_path
):
    db = config.database(settings_with(monkeypatch, tmp_path))
    assert db["ENGINE"] == "django.db.backends.sqlite3"
    assert db["NAME"] == str(tmp_path / "legalops.sqlite3")
    assert "journal_mode=WAL" in db["OPTIONS"]["init_command"]
    assert "busy_timeout" in db["OPTIONS"]["init_command"]
    assert db["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_postgres_url_switches_the_engine(monkeypatch, tmp_path):
    env = settings_with(
        monkeypatch, tmp_path, DATABASE_URL="postgres://ops:pw@db.internal:5433/legal"
    )
    db = config.database(env)
    assert (db["ENGINE"], db["HOST"], db["PORT"], db["NAME"], db["USER"]) == (
        "django.db.backends.postgresql",
        "db.internal",
        5433,
        "legal",
        "ops",
    )


@pytest.mark.parametrize("url", ["mysql://x@y/z", "nonsense", "http://example.com/db"])
def test_unsupported_database_urls_are_one_line_errors(monkeypatch, tmp_path, url):
    env = settings_with(monkeypatch, tmp_path, DATABASE_URL=url)
    with pytest.raises(config.ConfigError, match="DATABASE_URL"):
        config.database(env)


def test_secret_key_is_generated_once_and_private(monkeypatch, tmp_path):
    env = settings_with(monkeypatch, tmp_path)
    first = config.secret_key(env)
    assert len(first) >= 50
    assert config.secret_key(env) == first
    mode = stat.S_IMODE(os.stat(tmp_path / "secret_key").st_mode)
    assert mode == 0o600


def test_configured_secret_key_wins(monkeypatch, tmp_path):
    env = settings_with(monkeypatch, tmp_path, LEGALOPS_SECRET_KEY="from-the-environment")
    assert config.secret_key(env) == "from-the-environment"
    assert not (tmp_path / "secret_key").exists()


def test_a_file_where_the_data_dir_should_be_is_reported(tmp_path):
    blocker = tmp_path / "data"
    blocker.write_text("not a directory")
    with pytest.raises(config.ConfigError, match="not writable.*LEGALOPS_DATA_DIR"):
        config.ensure_data_dir(blocker)


def test_email_urls(monkeypatch, tmp_path):
    console = config.email(settings_with(monkeypatch, tmp_path))
    assert console["MAILERS"]["default"]["BACKEND"].endswith("console.EmailBackend")
    smtp = config.email(
        settings_with(
            monkeypatch,
            tmp_path,
            LEGALOPS_EMAIL_URL="smtp://mailer:s%40cret@mail.example.com:2525?from=legal@example.com",
        )
    )
    options = smtp["MAILERS"]["default"]["OPTIONS"]
    assert (
        options["host"],
        options["port"],
        options["username"],
        options["password"],
        options["use_tls"],
        options["use_ssl"],
        smtp["DEFAULT_FROM_EMAIL"],
    ) == ("mail.example.com", 2525, "mailer", "s@cret", True, False, "legal@example.com")
    implicit = config.email(
        settings_with(monkeypatch, tmp_path, LEGALOPS_EMAIL_URL="smtps://mail.example.com")
    )
    assert implicit["MAILERS"]["default"]["OPTIONS"]["port"] == 465
    with pytest.raises(config.ConfigError, match="LEGALOPS_EMAIL_URL"):
        config.email(settings_with(monkeypatch, tmp_path, LEGALOPS_EMAIL_URL="ftp://x"))


def test_a_malformed_boolean_names_the_variable(monkeypatch, tmp_path):
    monkeypatch.setenv("LEGALOPS_DEBUG", "perhaps")
    with pytest.raises(config.ConfigError, match="LEGALOPS_DEBUG"):
        settings_with(monkeypatch, tmp_path, LEGALOPS_DEBUG="perhaps")


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1", True), ("true", True), ("Yes", True), ("on", True), ("0", False), ("off", False)],
)
def test_booleans_take_the_usual_spellings(monkeypatch, tmp_path, value, expected):
    assert settings_with(monkeypatch, tmp_path, LEGALOPS_HTTPS=value).https is expected


def test_names_are_matched_case_insensitively_and_paths_expanded(monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))
    env = config.load_settings(
        {"legalops_debug": "1", "LEGALOPS_DATA_DIR": "~/data/../legal", "database_url": "x"}
    )
    assert env.debug is True
    assert env.data_dir == tmp_path / "legal"
    assert env.database_url == "x"
    assert env.hosts == ["127.0.0.1", "localhost"]


@pytest.mark.postgres_only
@pytest.mark.django_db
def test_postgresql_connections_run_without_jit_compilation() -> None:
    """legalops.core.apps.postgres_session: the dashboards' queries are short, and JIT
    compiling them cost more than it saved."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)
