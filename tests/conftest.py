"""Shared fixtures and the database/browser selection rules of the suite.

Kept free of module-level Django imports so the pure-library tests (`tests/ledes`,
`tests/guidelines`) also run with `-p no:django`.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

# Property tests: "ci" is bounded for the CI budget (DESIGN.md), "dev" digs deeper.
hypothesis_settings.register_profile(
    "ci", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.register_profile("dev", max_examples=500, deadline=None)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

REPO_ROOT = Path(__file__).resolve().parent.parent
ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres", "pgsql"))
CHROMIUM = os.environ.get("LEGALOPS_CHROMIUM", "/usr/bin/chromium")
_NOT_RUN: list[tuple[str, str]] = []


def _corpus_dir() -> Path:
    configured = os.environ.get("LEGALOPS_CORPUS_DIR")
    return Path(configured) if configured else REPO_ROOT.parent / "shared" / "corpus"


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """The public corpus (real LEDES files, CUAD contracts). CI sets LEGALOPS_REQUIRE_CORPUS=1
    so that a missing corpus fails instead of silently skipping."""
    path = _corpus_dir()
    if not path.is_dir():
        if os.environ.get("LEGALOPS_REQUIRE_CORPUS") == "1":
            pytest.fail(f"corpus directory {path} is missing (LEGALOPS_CORPUS_DIR)")
        pytest.skip(f"corpus directory {path} not found; set LEGALOPS_CORPUS_DIR")
    return path


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Browser and SQLite-only tests run on SQLite; PostgreSQL-only tests on PostgreSQL.
    Tests left out are named in the summary, never silently counted as passed."""
    keep, drop = [], []
    for item in items:
        reason = _not_here(item)
        (drop if reason else keep).append(item)
        if reason:
            _NOT_RUN.append((item.nodeid, reason))
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


def _not_here(item: pytest.Item) -> str:
    if ON_POSTGRES and item.get_closest_marker("browser"):
        return "browser tests run once, on SQLite"
    if ON_POSTGRES and item.get_closest_marker("sqlite_only"):
        return "only meaningful on SQLite"
    if not ON_POSTGRES and item.get_closest_marker("postgres_only"):
        return "only meaningful on PostgreSQL"
    return ""


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _NOT_RUN:
        terminalreporter.section("not run on this database")
        for nodeid, reason in _NOT_RUN:
            terminalreporter.line(f"{nodeid}: {reason}")


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Debian's Chromium. CI sets LEGALOPS_REQUIRE_BROWSER=1: a missing browser fails there."""
    path = shutil.which(CHROMIUM) or (CHROMIUM if os.path.exists(CHROMIUM) else None)
    if path is None:
        if os.environ.get("LEGALOPS_REQUIRE_BROWSER") == "1":
            pytest.fail(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
        pytest.skip(f"Chromium not found at {CHROMIUM}; apt-get install chromium")
    return path


@pytest.fixture(autouse=True)
def _fast_password_hashing(request: pytest.FixtureRequest) -> None:
    """PBKDF2's deliberate slowness protects stored passwords, not test runs."""
    if not request.config.pluginmanager.hasplugin("django"):
        return  # pure-library tests run with -p no:django
    settings = request.getfixturevalue("settings")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# --- Personas (healthchecks' alice/bob/charlie, for our five roles and two firms) -------------


@pytest.fixture
def firm_a(db: None) -> Any:
    from tests.factories import LawFirmFactory

    return LawFirmFactory(law_firm_id="36-1234567", name="Hale & Whitmore LLP")


@pytest.fixture
def firm_b(db: None) -> Any:
    from tests.factories import LawFirmFactory

    return LawFirmFactory(law_firm_id="94-7654321", name="Okafor Brandt LLP")


def _persona(username: str, role: str, **extra: Any) -> Any:
    from tests.factories import UserFactory

    return UserFactory(username=username, role=role, **extra)


@pytest.fixture
def admin(db: None) -> Any:
    return _persona("ops", "admin")


@pytest.fixture
def attorney(db: None) -> Any:
    return _persona("counsel", "attorney")


@pytest.fixture
def approver(db: None) -> Any:
    return _persona("finance", "approver")


@pytest.fixture
def requester(db: None) -> Any:
    return _persona("business", "requester")


@pytest.fixture
def firm_a_user(firm_a: Any) -> Any:
    """A user of firm A who administers the firm's portal users."""
    return _persona("alice.firm-a", "firm", firm=firm_a, is_firm_admin=True)


@pytest.fixture
def firm_b_user(firm_b: Any) -> Any:
    return _persona("bob.firm-b", "firm", firm=firm_b)


@pytest.fixture
def personas(
    admin: Any, attorney: Any, approver: Any, requester: Any, firm_a_user: Any, firm_b_user: Any
) -> dict[str, Any]:
    return {
        "admin": admin,
        "attorney": attorney,
        "approver": approver,
        "requester": requester,
        "firm_a": firm_a_user,
        "firm_b": firm_b_user,
    }


@pytest.fixture
def api_token() -> Any:
    """`api_token(user)` -> the raw bearer token of a fresh token for that user."""
    from legalops.accounts.services import token_create

    def make(user: Any) -> str:
        return token_create(actor=None, user=user, name="test")[1]

    return make


@pytest.fixture
def signed_in(client: Any) -> Any:
    """`signed_in(user)` -> a Django test client with that user's session (no 2FA step)."""

    def make(user: Any) -> Any:
        client.force_login(user)
        return client

    return make


@pytest.fixture(autouse=True)
def _tasks_run_immediately(request: pytest.FixtureRequest) -> None:
    """Queued tasks run at once in tests (the worker test switches the database backend on)."""
    if not request.config.pluginmanager.hasplugin("django"):
        return
    settings = request.getfixturevalue("settings")
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
