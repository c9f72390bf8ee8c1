"""Seeding the panel of law firms, their contacts, timekeepers and multi-year rate cards."""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

from legalops.seed.context import SeedContext
from legalops.seed.names import FIRM_SUFFIXES, FIRST_NAMES, LAST_NAMES
from legalops.vendors.models import (
    ContactRole,
    FirmContact,
    LawFirm,
    PanelStatus,
    Rate,
    RateSource,
    Timekeeper,
    VendorType,
)

# The first two firms are the demo personas' firms (firm-a and firm-b).
FIXED_FIRMS = (("36-1234567", "Hale & Whitmore LLP"), ("94-7654321", "Okafor Brandt LLP"))
CERTIFICATIONS = ("WBENC", "NMSDC MBE", "NGLCC", "Mansfield Certified Plus", "Disability:IN")
OFFICES = ("New York", "Chicago", "San Francisco", "Washington", "Boston", "London", "Houston")
# Share of a firm's timekeepers by LOC classification, and the 2026 median USD rate of each
# (broadly in line with published surveys of large-firm rates).
STAFFING = (
    ("PARTNR", 24, 1050),
    ("OFCOUN", 6, 880),
    ("ASSOC", 40, 640),
    ("STFATT", 4, 420),
    ("PARALG", 20, 310),
    ("LGLAST", 6, 210),
)
CURRENCY_FACTOR = {"USD": "1", "EUR": "0.85", "GBP": "0.72", "CAD": "1.30"}
TWO = Decimal("0.01")


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


def _details(ctx: SeedContext, firm: LawFirm) -> LawFirm:
    """Aliases as invoices spell the firm, a relationship partner, certifications, policy."""
    short = firm.name.split(" ")[0].rstrip(",")
    firm.aliases = sorted({short.upper(), firm.name.replace("&", "and")})
    firm.tax_id = firm.law_firm_id
    firm.relationship_partner = f"{ctx.pick(FIRST_NAMES)} {ctx.pick(LAST_NAMES)}"
    if ctx.rng.random() < 0.25:
        firm.diversity_certifications = sorted(ctx.sample(CERTIFICATIONS, ctx.rng.randint(1, 2)))
    firm.rate_increase_cap_pct = Decimal(ctx.pick(["4.00", "5.00", "5.00", "6.00"]))
    firm.rate_notice_days = ctx.pick([60, 60, 90])
    if ctx.rng.random() < 0.1:
        firm.vendor_type = ctx.pick([VendorType.ALSP, VendorType.EXPERT, VendorType.EDISCOVERY])
    return firm


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
    firms = [_details(ctx, firm) for firm in firms]
    ctx.shared["firms"] = ctx.bulk("law firms", LawFirm, firms)
    ctx.bulk(
        "firm contacts", FirmContact, [c for f in ctx.shared["firms"] for c in _contacts(ctx, f)]
    )


def _contacts(ctx: SeedContext, firm: LawFirm) -> list[FirmContact]:
    domain = firm.name.split(" ")[0].lower().strip(",&") + ".example"
    people = []
    for role in (ContactRole.BILLING, ContactRole.RELATIONSHIP):
        first, last = ctx.pick(FIRST_NAMES), ctx.pick(LAST_NAMES)
        email = f"{first.lower()}.{last.lower().replace(chr(39), '')}@{domain}"
        people.append(FirmContact(firm=firm, name=f"{first} {last}", email=email, role=role))
    return people


def seed_timekeepers(ctx: SeedContext) -> None:
    weights = [share for _, share, _ in STAFFING]
    codes = [code for code, _, _ in STAFFING]
    keepers = []
    for firm in ctx.shared["firms"]:
        for n in range(1, ctx.scale.timekeepers_per_firm + 1):
            code = codes[0] if n == 1 else ctx.rng.choices(codes, weights)[0]
            keepers.append(_timekeeper(ctx, firm, n, code))
    ctx.shared["timekeepers"] = ctx.bulk("timekeepers", Timekeeper, keepers)


def _timekeeper(ctx: SeedContext, firm: LawFirm, n: int, code: str) -> Timekeeper:
    first, last = ctx.pick(FIRST_NAMES), ctx.pick(LAST_NAMES)
    lawyer = code in ("PARTNR", "OFCOUN", "ASSOC", "STFATT")
    seniority = {"PARTNR": (12, 35), "OFCOUN": (15, 40), "ASSOC": (1, 9)}.get(code, (2, 15))
    return Timekeeper(
        firm=firm,
        timekeeper_id=f"{first[0]}{last[0]}{n:03d}".upper(),
        name=f"{last}, {first}",
        classification=code,
        bar_admission_year=ctx.today.year - ctx.rng.randint(*seniority) if lawyer else None,
        office=ctx.pick(OFFICES),
        diversity=sorted(ctx.sample(["woman", "racial/ethnic minority", "LGBTQ+"], 1))
        if ctx.rng.random() < 0.3
        else [],
        is_active=ctx.rng.random() > 0.05,
    )


def rate_years(ctx: SeedContext) -> list[int]:
    """Rate cards start at least three years back, so increases show a history."""
    span = max(ctx.scale.years_of_history, 3)
    return list(range(ctx.today.year - span, ctx.today.year + 1))


def _base(ctx: SeedContext, firm: LawFirm, code: str, tier: Decimal) -> Decimal:
    median = dict((c, m) for c, _, m in STAFFING)[code]
    factor = Decimal(CURRENCY_FACTOR.get(firm.currency, "1"))
    spread = Decimal(ctx.rng.randint(85, 115)) / 100
    years_back = ctx.today.year - rate_years(ctx)[0]
    deflate = Decimal("1.05") ** years_back  # the first year of history, before increases
    return (Decimal(median) * factor * tier * spread / deflate).quantize(Decimal(5))


def seed_rate_cards(ctx: SeedContext) -> None:
    """A rate per timekeeper per calendar year (3-7% increases) and a classification rate per
    firm, effective 1 January; each year's row ends on 31 December, the last is open."""
    tiers = {f.pk: Decimal(ctx.rng.randint(70, 130)) / 100 for f in ctx.shared["firms"]}
    rows: list[Rate] = []
    for firm in ctx.shared["firms"]:
        for code, _, _ in STAFFING:
            rows += _history(ctx, firm, None, code, _base(ctx, firm, code, tiers[firm.pk]))
    for keeper in ctx.shared["timekeepers"]:
        base = _base(ctx, keeper.firm, keeper.classification, tiers[keeper.firm_id])
        rows += _history(ctx, keeper.firm, keeper, keeper.classification, base)
    ctx.shared["rates"] = ctx.bulk("approved rates", Rate, rows)


def _history(
    ctx: SeedContext, firm: LawFirm, keeper: Timekeeper | None, code: str, start: Decimal
) -> list[Rate]:
    years, rate, rows = rate_years(ctx), start, []
    approver = ctx.shared["personas"]["admin"]
    for year in years:
        rows.append(
            Rate(
                firm=firm,
                timekeeper=keeper,
                classification=code,
                rate=rate.quantize(TWO, rounding=ROUND_HALF_UP),
                currency=firm.currency,
                effective_from=datetime.date(year, 1, 1),
                effective_to=None if year == years[-1] else datetime.date(year, 12, 31),
                source=RateSource.SEED,
                approved_by=approver,
            )
        )
        rate = rate * (1 + Decimal(ctx.rng.randint(30, 70)) / 1000)
    return rows
