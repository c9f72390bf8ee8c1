"""Seeding the panel of law firms."""

from __future__ import annotations

from legalops.seed.context import SeedContext
from legalops.seed.names import FIRM_SUFFIXES, LAST_NAMES
from legalops.vendors.models import LawFirm, PanelStatus

# The first two firms are the demo personas' firms (firm-a and firm-b).
FIXED_FIRMS = (("36-1234567", "Hale & Whitmore LLP"), ("94-7654321", "Okafor Brandt LLP"))


def _firm_name(ctx: SeedContext, used: set[str]) -> str:
    while True:
        first, second = ctx.sample(LAST_NAMES, 2)
        suffix = ctx.pick(FIRM_SUFFIXES)
        name = (
            f"{first} & {second} {suffix}"
            if ctx.rng.random() < 0.6
            else f"{first} {second} {suffix}"
        ).replace("& & ", "& ")
        if name not in used:
            used.add(name)
            return name


def _tax_id(ctx: SeedContext, used: set[str]) -> str:
    while True:
        value = f"{ctx.rng.randint(10, 99)}-{ctx.rng.randint(1000000, 9999999)}"
        if value not in used:
            used.add(value)
            return value


def seed_firms(ctx: SeedContext) -> None:
    names = {name for _, name in FIXED_FIRMS}
    ids = {law_firm_id for law_firm_id, _ in FIXED_FIRMS}
    firms = [LawFirm(law_firm_id=i, name=n, status=PanelStatus.PREFERRED) for i, n in FIXED_FIRMS]
    statuses = [PanelStatus.PREFERRED] * 2 + [PanelStatus.APPROVED] * 6 + [PanelStatus.INACTIVE]
    for _ in range(ctx.scale.firms - len(firms)):
        currency = "USD" if ctx.rng.random() < 0.8 else ctx.pick(["EUR", "GBP", "CAD"])
        firms.append(
            LawFirm(
                law_firm_id=_tax_id(ctx, ids),
                name=_firm_name(ctx, names),
                status=ctx.pick(statuses),
                currency=currency,
                payment_terms_days=ctx.pick([30, 30, 45, 60]),
            )
        )
    ctx.shared["firms"] = ctx.bulk("law firms", LawFirm, firms)
