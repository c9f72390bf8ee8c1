"""Seeding invoices: one per matter, firm and month of activity over the seed's years, with
the firm's timekeepers at their rate card (some billed above it), narratives from the phrase
bank with a realistic share of guideline violations, UTBMS codes and expenses.

Every invoice is reviewed by the real engine with the guidelines version in force, in
process: the records are built the way `invoices.review` builds them from the database (rate
card, matter, budgets, earlier invoices of the firm), so the stored flags and proposed
adjustments are those intake would store. The invoices are then spread over every state of
spec/cli.md by age (old ones mostly paid, recent ones in review or pending), with the
reviewer's decisions on their flags, and bulk-inserted a chunk at a time (memory stays flat at
a million lines). `seed_approvals` runs next and adds approval chains, appeals and AP batches.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from legalops.accounts.models import Role, User
from legalops.guidelines import records
from legalops.guidelines.config import DEFAULT_FILE, Guidelines
from legalops.guidelines.engine import review
from legalops.guidelines.rates import RateBook
from legalops.invoices.models import GuidelinesVersion, Invoice, State
from legalops.invoices.review import matter_record
from legalops.invoices.rulebook import SHIPPED_EFFECTIVE, guidelines_of, parse_version_source
from legalops.matters.models import Matter, MatterFirm, MatterStatus
from legalops.organization.selectors import company_get
from legalops.seed import narratives as bank
from legalops.seed.context import SeedContext
from legalops.seed.invoice_states import BudgetBook, Built, decide, write_chunk
from legalops.seed.vendors import CURRENCY_FACTOR
from legalops.vendors.models import LawFirm, Timekeeper
from legalops.vendors.selectors import rate_card_rows

# Invoice lines per scale (spec/cli.md "seed": medium about 200,000, large at least 1,000,000).
LINES = {"small": 1_500, "medium": 200_000, "large": 1_000_000}
MEAN_LINES = 15  # a typical monthly invoice
CHUNK = 400  # invoices reviewed and written at a time
S = State
# Final states by age of the invoice (days since receipt); "decided" becomes approved or
# approved_adjusted by its amounts.
FATES = (
    (
        20,
        {
            S.RECEIVED: 10,
            S.IN_REVIEW: 35,
            S.ON_HOLD: 10,
            S.PENDING_APPROVAL: 32,
            "decided": 8,
            S.REJECTED: 4,
            S.VOIDED: 1,
        },
    ),
    (
        60,
        {
            S.IN_REVIEW: 4,
            S.PENDING_APPROVAL: 10,
            S.ON_HOLD: 3,
            "decided": 28,
            S.SENT_TO_AP: 30,
            S.PAID: 15,
            S.REJECTED: 5,
            S.APPEALED: 3,
            S.VOIDED: 2,
        },
    ),
    (
        100_000,
        {
            S.PAID: 82,
            S.SENT_TO_AP: 2,
            "decided": 2,
            S.REJECTED: 4,
            S.RESUBMITTED: 5,
            S.APPEALED: 2,
            S.VOIDED: 2,
        },
    ),
)
TENTHS = [Decimal(n) / 10 for n in range(2, 41)]


# --- Guidelines --------------------------------------------------------------------------------

COMPANY_GUIDELINES = """[guidelines]
name = "Northwind Outside Counsel Billing Guidelines"
version = "{version}"
effective = {effective}
currency = "USD"

[rules.block-billing]
action = "reduce"
reduce_percent = {block}

[rules.daily-hours-cap]
action = "hold"
max_hours = {hours}
"""


def _version(source: str, filename: str, effective: datetime.date) -> GuidelinesVersion:
    """A published version stored directly (the bulk path writes no audit event per row)."""
    parsed = parse_version_source(source.encode("utf-8"), filename)
    found = GuidelinesVersion.objects.filter(sha256=parsed.sha256, status="published").first()
    return found or GuidelinesVersion.objects.create(
        name=parsed.name,
        version=parsed.version,
        effective=effective,
        sha256=parsed.sha256,
        source=source,
        status=GuidelinesVersion.Status.PUBLISHED,
        published_at=datetime.datetime.combine(effective, datetime.time(9), tzinfo=datetime.UTC),
    )


def _guidelines(ctx: SeedContext) -> list[tuple[datetime.date, GuidelinesVersion, Guidelines]]:
    """The shipped defaults, then the company's own file (one version per year of history:
    the later one is stricter), latest effective first."""
    with open(DEFAULT_FILE, encoding="utf-8") as handle:
        versions = [_version(handle.read(), "default.toml", SHIPPED_EFFECTIVE)]
    first = ctx.today.year - ctx.scale.years_of_history
    for year, block, hours in ((first, 20, 12), (ctx.today.year, 25, 10)):
        effective = datetime.date(year, 1, 1)
        text = COMPANY_GUIDELINES.format(
            version=f"{year}.1", effective=effective.isoformat(), block=block, hours=hours
        )
        versions.append(_version(text, f"guidelines-{year}.toml", effective))
    ctx.counts["guidelines versions"] = len(versions)
    return sorted(
        ((v.effective, v, guidelines_of(v)) for v in versions), key=lambda t: t[0], reverse=True
    )


# --- Planning ----------------------------------------------------------------------------------


@dataclass
class Spec:
    """One invoice to build: who bills what period, and the state it ends in."""

    matter: Matter
    firm: LawFirm
    start: datetime.date
    end: datetime.date
    invoice_date: datetime.date
    received_on: datetime.date
    fate: str = ""
    number: str = ""
    corrects: Spec | None = None  # the rejected invoice this one replaces
    replaced_on: datetime.date | None = None  # when the correction of this one arrived
    invoice: Invoice | None = None


def _month_end(day: datetime.date) -> datetime.date:
    following = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return following - datetime.timedelta(days=1)


def _months(first: datetime.date, last: datetime.date) -> Iterator[datetime.date]:
    day = first.replace(day=1)
    while day <= last:
        yield day
        day = _month_end(day) + datetime.timedelta(days=1)


def _periods(ctx: SeedContext, assignment: MatterFirm) -> list[datetime.date]:
    """The months the firm could bill the matter: from its engagement (within the seed's
    years) to the month the matter closed or the last full month."""
    matter = assignment.matter
    horizon = ctx.today.replace(day=1) - datetime.timedelta(days=365 * ctx.scale.years_of_history)
    first = max(assignment.engaged_on or matter.opened_on, horizon)
    last = ctx.today.replace(day=1) - datetime.timedelta(days=1)
    if matter.status == MatterStatus.CLOSED and matter.closed_on:
        last = min(last, matter.closed_on)
    return list(_months(first, last))


def _plan(ctx: SeedContext, target_lines: int) -> list[Spec]:
    assignments = ctx.shared.get("assignments") or []
    months = [(a, _periods(ctx, a)) for a in assignments]
    total = sum(len(m) for _, m in months) or 1
    base = min(0.85, target_lines / MEAN_LINES / total)
    specs: list[Spec] = []
    for assignment, periods in months:
        busy = min(0.95, base * ctx.rng.uniform(0.5, 1.5))
        specs += [_spec(ctx, assignment, m) for m in periods if ctx.rng.random() < busy]
    for spec in specs:
        _fate(ctx, spec)
    _cover(ctx, specs)
    specs += [_correction(ctx, s) for s in specs if s.fate == S.RESUBMITTED]
    specs.sort(
        key=lambda s: (s.received_on, s.matter.number, s.firm.law_firm_id, s.corrects is not None)
    )
    _number(specs)
    return specs


def _spec(ctx: SeedContext, assignment: MatterFirm, month: datetime.date) -> Spec:
    end = _month_end(month)
    issued = end + datetime.timedelta(days=ctx.rng.randint(3, 20))
    late = ctx.rng.random() < 0.03  # sent months later: the late-invoice rule holds it
    received = issued + datetime.timedelta(
        days=ctx.rng.randint(95, 120) if late else ctx.rng.randint(0, 6)
    )
    if received > ctx.today:
        received = max(issued, ctx.today - datetime.timedelta(days=ctx.rng.randint(0, 3)))
        received = min(received, ctx.today)
    return Spec(assignment.matter, assignment.firm, month, end, min(issued, received), received)


def _fate(ctx: SeedContext, spec: Spec) -> str:
    age = (ctx.today - spec.received_on).days
    weights = next(w for limit, w in FATES if age <= limit)
    spec.fate = ctx.rng.choices(list(weights), list(weights.values()))[0]
    return spec.fate


def _cover(ctx: SeedContext, specs: list[Spec]) -> None:
    """Every state shows up, even in a small seed: a state no invoice drew goes to an
    invoice of an age that can be in it (taken from a state many invoices drew)."""
    counts = Counter(spec.fate for spec in specs)
    young = -1
    for limit, weights in FATES:
        for fate in weights:
            fits = [
                s
                for s in specs
                if young < (ctx.today - s.received_on).days <= limit and counts[s.fate] > 1
            ]
            if not counts[fate] and fits:
                chosen = ctx.pick(fits)
                counts[chosen.fate] -= 1
                chosen.fate = fate
                counts[fate] += 1
        young = limit


def _correction(ctx: SeedContext, original: Spec) -> Spec:
    """The corrected invoice a firm sends after a rejection (same number, linked to it)."""
    received = min(
        ctx.today, original.received_on + datetime.timedelta(days=ctx.rng.randint(12, 30))
    )
    twin = Spec(
        original.matter,
        original.firm,
        original.start,
        original.end,
        received,
        received,
        corrects=original,
    )
    original.replaced_on = received
    _fate(ctx, twin)
    if twin.fate == S.RESUBMITTED:
        twin.fate = S.PAID if (ctx.today - received).days > 60 else S.PENDING_APPROVAL
    return twin


def _number(specs: list[Spec]) -> None:
    counters: dict[int, int] = defaultdict(int)
    for spec in specs:
        if spec.corrects is not None:
            spec.number = spec.corrects.number
            continue
        counters[spec.firm.pk] += 1
        spec.number = f"{spec.invoice_date:%Y}-{counters[spec.firm.pk]:05d}"


# --- The firm's side: staff, rates, history --------------------------------------------------


@dataclass
class FirmBook:
    """What the review needs of one firm, built once: its rate card and its earlier lines."""

    firm: LawFirm
    staff: list[Timekeeper]
    entries: tuple[records.RateEntry, ...]
    book: RateBook
    # (kind, date, total) -> earlier lines with that key: a superset of the duplicate-line
    # rule's signature, so handing the rule only these lines gives the flags the whole
    # history would (the rule only ever matches lines with an equal signature).
    ids: dict[str, int]  # timekeeper id -> pk, for the line rows
    seen: dict[tuple[object, ...], list[tuple[int, int, str, records.Line]]] = field(
        default_factory=lambda: defaultdict(list)
    )

    def history(self, lines: tuple[records.Line, ...]) -> tuple[records.Invoice, ...]:
        found: dict[int, tuple[str, dict[int, records.Line]]] = {}
        for line in lines:
            for seq, index, number, other in self.seen.get(_key(line), ()):
                found.setdefault(seq, (number, {}))[1][index] = other
        return tuple(
            records.Invoice(number, self.firm.law_firm_id, tuple(v for _, v in sorted(got.items())))
            for _, (number, got) in sorted(found.items())
        )

    def remember(self, seq: int, number: str, lines: tuple[records.Line, ...]) -> None:
        for index, line in enumerate(lines):
            if line.kind in ("F", "E"):
                self.seen[_key(line)].append((seq, index, number, line))


def _key(line: records.Line) -> tuple[object, ...]:
    return (line.kind, line.date, line.total)


def _firm_books(ctx: SeedContext) -> dict[int, FirmBook]:
    staff: dict[int, list[Timekeeper]] = defaultdict(list)
    ids: dict[int, dict[str, int]] = defaultdict(dict)
    for keeper in ctx.shared.get("timekeepers") or []:
        ids[keeper.firm_id][keeper.timekeeper_id] = keeper.pk
        if keeper.is_active:
            staff[keeper.firm_id].append(keeper)
    books = {}
    for firm in ctx.shared.get("firms") or []:
        entries = tuple(
            records.RateEntry(**asdict(row), source_line=n)
            for n, row in enumerate(rate_card_rows(firm=firm), start=2)
        )
        books[firm.pk] = FirmBook(firm, staff[firm.pk], entries, RateBook(entries), ids[firm.pk])
    return books


# --- Building one invoice ----------------------------------------------------------------------


@dataclass
class Draft:
    """The lines of one invoice as the firm writes them."""

    spec: Spec
    code_set: str
    fill: dict[str, str]
    lines: list[records.Line] = field(default_factory=list)

    def add(self, **values: object) -> None:
        number = str(len(self.lines) + 1)
        self.lines.append(
            records.Line(number=number, client_matter_id=self.spec.matter.number, **values)  # type: ignore[arg-type]
        )


def _workday(ctx: SeedContext, spec: Spec) -> datetime.date:
    for _ in range(10):
        day = spec.start + datetime.timedelta(days=ctx.rng.randint(0, (spec.end - spec.start).days))
        if day.weekday() < 5:
            return day
    return spec.start


def _staffing(ctx: SeedContext, staff: list[Timekeeper]) -> list[Timekeeper]:
    partners = [k for k in staff if k.classification == "PARTNR"] or staff
    others = [k for k in staff if k.classification != "PARTNR"] or staff
    return [ctx.pick(partners), *ctx.sample(others, ctx.rng.randint(1, 4))]


def _rate(
    ctx: SeedContext,
    fb: FirmBook,
    spec: Spec,
    keeper: Timekeeper,
    day: datetime.date,
    currency: str,
) -> Decimal:
    match = fb.book.lookup(
        fb.firm.law_firm_id,
        spec.matter.number,
        (keeper.timekeeper_id, keeper.name, keeper.classification),
        day,
    )
    rate = match.entry.rate if match else Decimal(500)
    if fb.firm.currency != currency:  # billed in the matter's currency at about the card rate
        rate = (rate / Decimal(CURRENCY_FACTOR.get(fb.firm.currency, "1"))).quantize(Decimal(5))
    return rate


def _fee(
    ctx: SeedContext,
    draft: Draft,
    fb: FirmBook,
    keeper: Timekeeper,
    phrase: bank.Phrase,
    *,
    day: datetime.date | None = None,
    units: Decimal | None = None,
    rate: Decimal | None = None,
) -> None:
    spec = draft.spec
    day = day or _workday(ctx, spec)
    units = units or ctx.pick(TENTHS[:20] if phrase.rule else TENTHS)
    if phrase.rule == "legal-research":
        units = ctx.pick(TENTHS[15:30])
    if ctx.rng.random() < 0.02:
        units = ctx.pick([Decimal("0.25"), Decimal("0.75"), Decimal("1.25")])  # not in tenths
    rate = rate or _rate(ctx, fb, spec, keeper, day, spec.matter.currency)
    task = (
        bank.TRAVEL_TASK[draft.code_set]
        if phrase.rule == "non-working-travel"
        else ctx.pick(bank.TASKS[draft.code_set])
    )
    draft.add(
        kind="F",
        total=(units * rate).quantize(Decimal("0.01"), ROUND_HALF_UP),
        date=day,
        units=units,
        unit_cost=rate,
        task_code=task,
        activity_code=phrase.activity,
        timekeeper_id=keeper.timekeeper_id,
        timekeeper_name=keeper.name,
        classification=keeper.classification,
        narrative=phrase.text.format(**draft.fill),
    )


def _expense(ctx: SeedContext, draft: Draft, item: bank.Expense) -> None:
    if item.unit_cost:
        units, cost = Decimal(ctx.rng.randint(item.low, item.high)), Decimal(item.unit_cost)
    else:
        units, cost = Decimal(1), Decimal(ctx.rng.randint(item.low * 100, item.high * 100)) / 100
    draft.add(
        kind="E",
        total=(units * cost).quantize(Decimal("0.01"), ROUND_HALF_UP),
        date=_workday(ctx, draft.spec),
        units=units,
        unit_cost=cost,
        expense_code=item.code,
        narrative=item.text.format(units=units, **draft.fill),
    )


def _fill(ctx: SeedContext) -> dict[str, str]:
    doc, doc2 = ctx.sample(bank.DOCUMENTS, 2)
    return {
        "doc": doc,
        "doc2": doc2,
        "topic": ctx.pick(bank.TOPICS),
        "person": ctx.pick(bank.PEOPLE),
        "city": ctx.pick(bank.CITIES),
    }


def _draft(ctx: SeedContext, spec: Spec, fb: FirmBook, size: int) -> Draft:
    draft = Draft(spec, spec.matter.code_set or "litigation", _fill(ctx))
    if draft.code_set not in bank.TASKS:
        draft.code_set = "litigation"
    team = _staffing(ctx, fb.staff) if fb.staff else []
    dirty = ctx.rng.choices([0.0, 0.03, 0.08, 0.15, 0.3], [25, 30, 25, 15, 5])[0]
    if spec.corrects is not None:
        dirty = 0.0  # the corrected invoice
    above = {team[-1].pk} if team and ctx.rng.random() < 0.1 else set()
    for _ in range(size):
        if not team or ctx.rng.random() < 0.12:
            bad = ctx.rng.random() < 2 * dirty + 0.05
            _expense(ctx, draft, ctx.pick(bank.EXPENSE_VIOLATIONS if bad else bank.EXPENSES))
            continue
        keeper = ctx.pick(team)
        phrase = ctx.pick(bank.FEE_VIOLATIONS if ctx.rng.random() < dirty else bank.CLEAN)
        if keeper.pk in above:
            day = _workday(ctx, spec)
            rate = _rate(ctx, fb, spec, keeper, day, spec.matter.currency)
            _fee(
                ctx,
                draft,
                fb,
                keeper,
                phrase,
                day=day,
                rate=(rate * Decimal("1.08")).quantize(Decimal(5)),
            )
        else:
            _fee(ctx, draft, fb, keeper, phrase)
    _extras(ctx, draft, fb, team, dirty)
    return draft


def _extras(
    ctx: SeedContext, draft: Draft, fb: FirmBook, team: list[Timekeeper], dirty: float
) -> None:
    """A long day past the daily cap, and a line billed twice, on some dirty invoices."""
    fees = [line for line in draft.lines if line.kind == "F"]
    if team and dirty and ctx.rng.random() < 0.15:
        keeper, day = ctx.pick(team), _workday(ctx, draft.spec)
        for hours in ("4.5", "4.0", "3.5"):
            _fee(ctx, draft, fb, keeper, ctx.pick(bank.CLEAN), day=day, units=Decimal(hours))
    if fees and dirty and ctx.rng.random() < 0.15:
        draft.lines.append(ctx.pick(fees)._replace(number=str(len(draft.lines) + 1)))


# --- The run -----------------------------------------------------------------------------------


def seed_invoices(ctx: SeedContext) -> None:
    if not ctx.shared.get("assignments"):
        return
    versions = _guidelines(ctx)
    specs = _plan(ctx, LINES.get(ctx.scale.name, LINES["small"]))
    if not specs:
        return
    people = _people(ctx)
    books = _firm_books(ctx)
    budgets = BudgetBook.load()
    company = company_get()
    mean = max(3, LINES.get(ctx.scale.name, LINES["small"]) // len(specs))
    ids: list[int] = []
    for start in range(0, len(specs), CHUNK):
        built: list[Built] = []
        for seq, spec in enumerate(specs[start : start + CHUNK], start=start):
            size = ctx.rng.randint(max(2, mean // 2), mean * 3 // 2)
            fb = books[spec.firm.pk]
            draft = _draft(ctx, spec, fb, size)
            record = _record(spec, tuple(draft.lines))
            _, version, guidelines = next(v for v in versions if v[0] <= spec.end)
            context = records.ReviewContext(
                as_of=spec.received_on,
                rates=fb.entries,
                matter=matter_record(spec.matter),
                budgets=budgets.records(spec.matter, spec.firm, spec.end, company),
                history=fb.history(record.lines),
                default_currency=company.reporting_currency,
            )
            result = review(record, context, guidelines, rates=fb.book)
            one = decide(ctx, spec, version, result, people, fb.ids)
            budgets.spend(spec.matter, spec.firm, one, company)
            if one.state not in (S.RESUBMITTED, S.VOIDED):
                fb.remember(seq, spec.number, record.lines)
            built.append(one)
        ids += write_chunk(ctx, built)
    ctx.shared["invoices"] = ids


def _record(spec: Spec, lines: tuple[records.Line, ...]) -> records.Invoice:
    """The engine's record, as `invoices.review.invoice_record` builds it from the stored rows."""
    return records.Invoice(
        invoice_number=spec.number,
        law_firm_id=spec.firm.law_firm_id,
        lines=lines,
        client_matter_id=spec.matter.number,
        invoice_date=spec.invoice_date,
        billing_start=spec.start,
        billing_end=spec.end,
    )


@dataclass
class People:
    admin: User
    approvers: list[User]


def _people(ctx: SeedContext) -> People:
    users = ctx.shared.get("users") or []
    admin = ctx.shared.get("personas", {}).get("admin") or next(
        u for u in users if u.role == Role.ADMIN
    )
    approvers = [u for u in users if u.role == Role.APPROVER] or [admin]
    return People(admin, approvers)
