"""Playwright against Debian's Chromium (Playwright's own browser download is not allowed)."""

from __future__ import annotations

import os
from typing import Any

import pytest

# Playwright's sync API runs an event loop; Django refuses ORM calls from a thread with a
# running loop unless told this test process is allowed to (the live server is separate).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(
    browser_type_launch_args: dict[str, Any], chromium_path: str
) -> dict[str, Any]:
    return {
        **browser_type_launch_args,
        "executable_path": chromium_path,
        "args": CHROMIUM_ARGS,
        "headless": True,
    }
