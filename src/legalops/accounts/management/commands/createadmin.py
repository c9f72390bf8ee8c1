from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandParser

from legalops.accounts.management.commands._common import read_password, refusal
from legalops.accounts.models import Role
from legalops.accounts.services import user_create


class Command(BaseCommand):
    help = "Create a legal-operations administrator (role admin)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", default="admin")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--password-stdin",
            action="store_true",
            help="read the password from standard input (one line)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        password = read_password(from_stdin=options["password_stdin"])
        try:
            user = user_create(
                actor=None,
                username=options["username"],
                role=Role.ADMIN,
                email=options["email"],
                password=password,
            )
        except ValidationError as exc:
            raise refusal(exc) from None
        self.stdout.write(f"created admin {user.username}")
