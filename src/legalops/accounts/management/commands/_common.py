"""Shared by the account commands: reading a password safely and reporting refusals."""

from __future__ import annotations

import getpass
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError


def read_password(*, from_stdin: bool) -> str:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise CommandError("no password on standard input")
        return password
    if not sys.stdin.isatty():
        raise CommandError("no terminal to ask for a password: use --password-stdin")
    first = getpass.getpass("Password: ")
    if first != getpass.getpass("Password (again): "):
        raise CommandError("the two passwords differ")
    return first


def refusal(exc: ValidationError) -> CommandError:
    if hasattr(exc, "error_dict"):
        text = "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in exc.message_dict.items())
    else:
        text = " ".join(exc.messages)
    return CommandError(text)
