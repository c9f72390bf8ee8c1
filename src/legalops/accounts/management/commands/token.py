from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from legalops.accounts.management.commands._common import refusal
from legalops.accounts.models import ApiToken, User
from legalops.accounts.services import token_create, token_revoke


class Command(BaseCommand):
    help = "Manage API tokens: create (prints the token alone on its last line), list, revoke."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="create a token for a user")
        create.add_argument("--user", required=True, metavar="NAME")
        create.add_argument("--name", default="API token")
        listing = sub.add_parser("list", help="list a user's tokens")
        listing.add_argument("--user", required=True, metavar="NAME")
        revoke = sub.add_parser("revoke", help="revoke a token by the prefix shown in list")
        revoke.add_argument("prefix")

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"_{options['action']}")(options)

    def _user(self, username: str) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user named {username!r}")
        return user

    def _create(self, options: dict[str, Any]) -> None:
        user = self._user(options["user"])
        try:
            token, raw = token_create(actor=None, user=user, name=options["name"])
        except ValidationError as exc:
            raise refusal(exc) from None
        self.stderr.write(f"token {token.prefix}… for {user.username}; it is shown only once:")
        self.stdout.write(raw)

    def _list(self, options: dict[str, Any]) -> None:
        for token in self._user(options["user"]).api_tokens.all():
            state = "active" if token.is_active else f"revoked {token.revoked_at:%Y-%m-%d}"
            used = f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "never"
            self.stdout.write(f"{token.prefix}  {token.name}  {state}  last used {used}")

    def _revoke(self, options: dict[str, Any]) -> None:
        tokens = list(ApiToken.objects.filter(prefix=options["prefix"], revoked_at__isnull=True))
        if len(tokens) != 1:
            raise CommandError(f"{len(tokens)} active tokens start with {options['prefix']!r}")
        token_revoke(actor=None, token=tokens[0])
        self.stdout.write(f"revoked {tokens[0].prefix}…")
