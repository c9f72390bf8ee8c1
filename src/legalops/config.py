"""Configuration from the environment (DESIGN.md, "Configuration").

One typed class holds every `LEGALOPS_*` variable and `DATABASE_URL`; `settings.py` turns it
into Django settings. Mistakes a user can make (a malformed boolean or URL, an unwritable data
directory) raise `ConfigError` with a one-line message that says what to do; the CLI prints it
without a traceback.

Read by hand rather than with pydantic-settings: seven variables do not need a validation
library, and importing pydantic-settings was a fifth of every `legalops` command's start-up
(~0.14-0.2 s of CPU, docs/dashboards.md). The rules are the ones pydantic-settings applied:
names matched case-insensitively, booleans as 1/0, true/false, yes/no, on/off, t/f, y/n.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import dj_database_url


class ConfigError(Exception):
    """A configuration mistake, reported to the user as one line."""


def default_data_dir() -> Path:
    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg) if xdg else Path.home() / ".local" / "share"
    return base / "legalops"


@dataclass(frozen=True)
class Settings:
    """The environment variables of DESIGN.md, with their defaults."""

    data_dir: Path
    database_url: str = ""
    secret_key: str = ""
    debug: bool = False
    allowed_hosts: str = "127.0.0.1,localhost"
    email_url: str = "console:"
    # Behind a TLS-terminating proxy: trust X-Forwarded-Proto and send cookies only over HTTPS.
    https: bool = False

    @property
    def hosts(self) -> list[str]:
        return [h.strip() for h in self.allowed_hosts.split(",") if h.strip()]


_TRUE = {"1", "true", "t", "yes", "y", "on"}
_FALSE = {"0", "false", "f", "no", "n", "off"}


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """The settings from `environ` (default: the process environment)."""
    env = {k.upper(): v for k, v in (os.environ if environ is None else environ).items()}
    data_dir = env.get("LEGALOPS_DATA_DIR")
    return Settings(
        data_dir=(Path(data_dir) if data_dir is not None else default_data_dir())
        .expanduser()
        .resolve(),
        database_url=env.get("DATABASE_URL", ""),
        secret_key=env.get("LEGALOPS_SECRET_KEY", ""),
        debug=_boolean(env, "LEGALOPS_DEBUG"),
        allowed_hosts=env.get("LEGALOPS_ALLOWED_HOSTS", Settings.allowed_hosts),
        email_url=env.get("LEGALOPS_EMAIL_URL", Settings.email_url),
        https=_boolean(env, "LEGALOPS_HTTPS"),
    )


def _boolean(env: Mapping[str, str], name: str) -> bool:
    value = env.get(name)
    if value is None:
        return False
    if value.lower() in _TRUE:
        return True
    if value.lower() in _FALSE:
        return False
    raise ConfigError(f"invalid {name}: {value!r} is not a boolean (1/0, true/false, yes/no)")


def ensure_data_dir(path: Path) -> Path:
    """Create the data directory and prove it is writable."""
    try:
        path.mkdir(parents=True, exist_ok=True)
        probe = path / ".write-test"
        probe.write_text("ok")
        probe.unlink()
    except OSError as exc:
        raise ConfigError(
            f"data directory {path} is not writable ({exc.strerror}); "
            "set LEGALOPS_DATA_DIR to a directory you can write"
        ) from None
    return path


def secret_key(config: Settings) -> str:
    """The configured key, else one generated once into the data directory (mode 0600)."""
    if config.secret_key:
        return config.secret_key
    key_file = config.data_dir / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    key = secrets.token_urlsafe(50)
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


def database(config: Settings) -> dict[str, Any]:
    """Django's DATABASES["default"] from DATABASE_URL (SQLite in the data directory by default)."""
    url = config.database_url or f"sqlite:///{config.data_dir / 'legalops.sqlite3'}"
    scheme = urlsplit(url).scheme
    if scheme not in {"sqlite", "postgres", "postgresql", "pgsql"}:
        raise ConfigError(
            f"DATABASE_URL scheme {scheme or '(none)'!r} is not supported; "
            "use sqlite:///PATH or postgres://USER@HOST:PORT/NAME"
        )
    try:
        db: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=0))
    except ValueError as exc:
        raise ConfigError(f"DATABASE_URL is malformed: {exc}") from None
    if db["ENGINE"] == "django.db.backends.sqlite3":
        db["OPTIONS"] = sqlite_options()
    return db


def sqlite_options() -> dict[str, Any]:
    # WAL lets readers run beside the writer; IMMEDIATE takes the write lock at BEGIN so two
    # writers queue on busy_timeout instead of failing with "database is locked" mid-transaction.
    return {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA busy_timeout=20000; PRAGMA foreign_keys=ON;"
        ),
    }


def email(config: Settings) -> dict[str, Any]:
    """Django 6.1's MAILERS and sender settings from LEGALOPS_EMAIL_URL: `console:`,
    `smtp://user:pass@host:587?tls=1` (or `smtps://` for implicit TLS), with an optional
    `from=` query parameter."""
    url = urlsplit(config.email_url)
    query = {k: v[-1] for k, v in parse_qs(url.query).items()}
    sender = query.get("from", "legalops@localhost")
    senders = {"DEFAULT_FROM_EMAIL": sender, "SERVER_EMAIL": sender}
    if url.scheme in {"console", ""}:
        backend = {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
        return {"MAILERS": {"default": backend}, **senders}
    if url.scheme not in {"smtp", "smtps"}:
        raise ConfigError(
            f"LEGALOPS_EMAIL_URL scheme {url.scheme!r} is not supported; use console: or smtp://"
        )
    options = {
        "host": url.hostname or "localhost",
        "port": url.port or (465 if url.scheme == "smtps" else 587),
        "username": unquote(url.username or ""),
        "password": unquote(url.password or ""),
        "use_ssl": url.scheme == "smtps",
        "use_tls": url.scheme == "smtp" and query.get("tls", "1") not in {"0", "false"},
        "timeout": 30,
    }
    smtp = {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": options}
    return {"MAILERS": {"default": smtp}, **senders}
