"""Seeding users of every role, including the demo personas."""

from __future__ import annotations

from django.contrib.auth.hashers import make_password

from legalops.accounts.models import Role, User
from legalops.seed.context import SeedContext
from legalops.seed.names import FIRST_NAMES, LAST_NAMES

# Fixed accounts the README and `legalops demo` name: one per role, two firm users of two firms.
PERSONAS = (
    ("admin", Role.ADMIN, None, "Alex", "Morgan"),
    ("attorney", Role.ATTORNEY, None, "Priya", "Shah"),
    ("approver", Role.APPROVER, None, "Daniel", "Weber"),
    ("requester", Role.REQUESTER, None, "Sofia", "Rossi"),
    ("firm-a", Role.FIRM, 0, "Grace", "Whitmore"),
    ("firm-b", Role.FIRM, 1, "Omar", "Okafor"),
)


def _person(ctx: SeedContext, username: str, role: str, **extra: object) -> User:
    first, last = ctx.pick(FIRST_NAMES), ctx.pick(LAST_NAMES)
    user = User(
        username=username,
        role=role,
        first_name=first,
        last_name=last,
        email=f"{username}@example.com",
        **extra,
    )
    user.password = ctx.shared["password_hash"]
    return user


def seed_users(ctx: SeedContext) -> None:
    # Hashing is deliberately slow; every seeded user shares one unusable hash (no sign-in
    # until `legalops demo` or a password reset gives them a password).
    ctx.shared["password_hash"] = make_password(None)
    firms = ctx.shared["firms"]
    users = [
        User(
            username=u,
            role=r,
            firm=firms[f] if f is not None else None,
            first_name=first,
            last_name=last,
            email=f"{u}@example.com",
            is_firm_admin=r == Role.FIRM,
            password=ctx.shared["password_hash"],
        )
        for u, r, f, first, last in PERSONAS
    ]
    scale = ctx.scale
    for role, count in (
        (Role.ATTORNEY, scale.attorneys),
        (Role.APPROVER, scale.approvers),
        (Role.REQUESTER, scale.requesters),
    ):
        users += [_person(ctx, f"{role}{n:03d}", role) for n in range(1, count + 1)]
    for index, firm in enumerate(firms):
        users += [
            _person(ctx, f"firm{index + 1:03d}-{n}", Role.FIRM, firm=firm, is_firm_admin=n == 1)
            for n in range(1, scale.firm_users_per_firm + 1)
        ]
    ctx.shared["users"] = ctx.bulk("users", User, users)
