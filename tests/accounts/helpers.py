"""Driving the two-step sign-in from tests."""

from __future__ import annotations

import base64
import time
from typing import Any

from tests.factories import PASSWORD

from legalops.accounts import totp


def code_for(secret: str, *, at: float | None = None, offset_steps: int = 0) -> str:
    """The authenticator code for a secret, via the RFC-vector-tested HOTP function."""
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    return totp.hotp(key, totp.step_at(at or time.time()) + offset_steps)


def post_password(client: Any, username: str, password: str = PASSWORD) -> Any:
    return client.post("/accounts/login/", {"username": username, "password": password})
