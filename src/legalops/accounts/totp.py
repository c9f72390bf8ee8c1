"""Time-based one-time passwords (RFC 6238 over RFC 4226 HOTP), as authenticator apps use them:
HMAC-SHA1, 6 digits, 30-second steps. Written here rather than added as a dependency: it is a
few lines of standard-library code, checked against the RFC's published test vectors."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import struct
import time
from urllib.parse import quote, urlencode

STEP_SECONDS = 30
DIGITS = 6
# Accept the previous and next step too: phone clocks drift and people type slowly.
DRIFT_STEPS = 1


def new_secret() -> str:
    """A 160-bit secret in unpadded base32 (what authenticator apps expect)."""
    return base64.b32encode(secrets.token_bytes(20)).decode("ascii").rstrip("=")


def _key(secret: str) -> bytes:
    padded = secret.upper() + "=" * (-len(secret) % 8)
    return base64.b32decode(padded)


def hotp(key: bytes, counter: int, digits: int = DIGITS, digest: str = "sha1") -> str:
    mac = hmac.new(key, struct.pack(">Q", counter), digest).digest()
    offset = mac[-1] & 0x0F
    code = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(code % 10**digits).zfill(digits)


def step_at(timestamp: float) -> int:
    return int(timestamp // STEP_SECONDS)


def code_at(secret: str, timestamp: float) -> str:
    return hotp(_key(secret), step_at(timestamp))


def matching_step(
    secret: str, code: str, *, now: float | None = None, after_step: int = 0
) -> int | None:
    """The time step whose code equals `code` (within the drift window), or None.

    Steps at or before `after_step` are refused so that a code cannot be replayed."""
    code = "".join(code.split())
    if len(code) != DIGITS or not code.isdigit():
        return None
    current = step_at(time.time() if now is None else now)
    key = _key(secret)
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if step > after_step and hmac.compare_digest(hotp(key, step), code):
            return step
    return None


def provisioning_uri(secret: str, *, account: str, issuer: str) -> str:
    """The otpauth:// URI that authenticator apps read from a QR code."""
    label = quote(f"{issuer}:{account}")
    query = urlencode(
        {
            "secret": secret,
            "issuer": issuer,
            "algorithm": "SHA1",
            "digits": DIGITS,
            "period": STEP_SECONDS,
        }
    )
    return f"otpauth://totp/{label}?{query}"


def sha256_hex(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()
