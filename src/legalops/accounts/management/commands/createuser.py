from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from legalops.accounts.management.commands._common import read_password, refusal
from legalops.accounts.models import Role
from legalops.accounts.services import user_create
from legalops.vendors.models import LawFirm


class Command(BaseCommand):
    help = "Create a user with a role. Firm users need --firm LAW_FIRM_ID."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", required=True)
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--firm", metavar="LAW_FIRM_ID", help="the firm of a firm user")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--firm-admin", action="store_true", help="a firm user who may invite colleagues"
        )
        parser.add_argument(
            "--password-stdin",
            action="store_true",
            help="read the password from standard input (one line)",
        )
        parser.add_argument(
            "--no-password",
            action="store_true",
            help="no password: the user signs in after a password reset",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        firm = self._firm(options["firm"])
        password = (
            None if options["no_password"] else read_password(from_stdin=options["password_stdin"])
        )
        try:
            user = user_create(
                actor=None,
                username=options["username"],
                role=options["role"],
                email=options["email"],
                firm=firm,
                password=password,
                is_firm_admin=options["firm_admin"],
            )
        except ValidationError as exc:
            raise refusal(exc) from None
        where = f" of {firm.name}" if firm else ""
        self.stdout.write(f"created {user.role} {user.username}{where}")

    @staticmethod
    def _firm(law_firm_id: str | None) -> LawFirm | None:
        if not law_firm_id:
            return None
        firm = LawFirm.objects.filter(law_firm_id=law_firm_id).first()
        if firm is None:
            raise CommandError(f"no law firm with LAW_FIRM_ID {law_firm_id!r}")
        return firm
