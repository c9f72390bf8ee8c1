"""TOTP against the published test vectors, not against our own output."""

import base64

import pytest

from legalops.accounts import totp

RFC_KEY = b"12345678901234567890"
RFC_SECRET = base64.b32encode(RFC_KEY).decode().rstrip("=")


@pytest.mark.parametrize(
    ("counter", "code"),
    # RFC 4226, Appendix D: HOTP values for the ASCII key "12345678901234567890".
    list(
        enumerate(
            [
                "755224",
                "287082",
                "359152",
                "969429",
                "338314",
                "254676",
                "287922",
                "162583",
                "399871",
                "520489",
            ]
        )
    ),
)
def test_hotp_matches_rfc4226_appendix_d(counter, code):
    assert totp.hotp(RFC_KEY, counter) == code


@pytest.mark.parametrize(
    ("timestamp", "code"),
    # RFC 6238, Appendix B, SHA-1 column (8 digits).
    [
        (59, "94287082"),
        (1111111109, "07081804"),
        (1111111111, "14050471"),
        (1234567890, "89005924"),
        (2000000000, "69279037"),
        (20000000000, "65353130"),
    ],
)
def test_totp_matches_rfc6238_appendix_b(timestamp, code):
    assert totp.hotp(RFC_KEY, totp.step_at(timestamp), digits=8) == code


def test_a_code_is_accepted_one_step_either_side_and_not_further():
    now = 1111111111.0
    code = totp.hotp(RFC_KEY, totp.step_at(now))
    assert totp.matching_step(RFC_SECRET, code, now=now) == totp.step_at(now)
    assert totp.matching_step(RFC_SECRET, code, now=now + 30) is not None
    assert totp.matching_step(RFC_SECRET, code, now=now - 30) is not None
    assert totp.matching_step(RFC_SECRET, code, now=now + 90) is None


def test_a_used_step_cannot_be_replayed():
    now = 1111111111.0
    step = totp.step_at(now)
    code = totp.hotp(RFC_KEY, step)
    assert totp.matching_step(RFC_SECRET, code, now=now, after_step=step) is None


@pytest.mark.parametrize("junk", ["", "12345", "1234567", "abcdef", "12 34 5x"])
def test_malformed_codes_never_match(junk):
    assert totp.matching_step(RFC_SECRET, junk, now=59) is None


def test_spaces_inside_a_code_are_ignored():
    code = totp.hotp(RFC_KEY, totp.step_at(59))
    assert totp.matching_step(RFC_SECRET, f"{code[:3]} {code[3:]}", now=59) is not None


def test_provisioning_uri_is_what_authenticator_apps_read():
    uri = totp.provisioning_uri("ABC", account="alice", issuer="legalops")
    assert uri.startswith("otpauth://totp/legalops%3Aalice?")
    assert "secret=ABC" in uri and "issuer=legalops" in uri and "digits=6" in uri


def test_new_secrets_are_160_bits_of_base32():
    secret = totp.new_secret()
    assert len(base64.b32decode(secret + "=" * (-len(secret) % 8))) == 20
    assert secret != totp.new_secret()
