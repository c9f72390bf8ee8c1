"""Reading and validating LEDES XML E-Billing 2.0 / 2.1 / 2.2 (and LEDES 2000, experimental).

Element names follow the official 2.0 sample and a 2.2 writer (shared/reference/ledes-and-
utbms.md §5). The normalised model gets the same shape as from 98BI: a line's `total` includes
its tax (XML `total_amount` + the linked taxes, rounded half-up to the currency's minor unit per
line), `Invoice.total` is `inv_total_net_due` and `Invoice.tax_total` is `inv_total_tax`.
Invoice-level discounts (`matter_disc_cred`) become IF/IE line items.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from legalops.ledes.checks import (
    BAD,
    TOLERANCE,
    Sink,
    check_classification,
    check_code,
    check_number,
    show,
)
from legalops.ledes.codes import currencies, minor_unit
from legalops.ledes.fields import ALL, NONE, FieldSpec, Kind
from legalops.ledes.formats import (
    FORMAT_LEDES2000,
    FORMAT_XML20,
    FORMAT_XML21,
    FORMAT_XML22,
    XML_ROOTS,
)
from legalops.ledes.model import (
    Invoice,
    Issue,
    LineItem,
    Matter,
    ParseResult,
    Party,
    Tax,
    Timekeeper,
)
from legalops.ledes.xmltree import Node, XmlProblem, parse_tree

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_MONEY = FieldSpec("", Kind.MONEY, NONE, digits=14, places=4)
_RATE = FieldSpec("", Kind.MONEY, NONE, digits=14, places=10)
ZERO = Decimal(0)

# Element-name aliases across versions (first name is the 2.0 one). LEDES 2000's UTBMS element
# names (acca_*) are unverified; they are read as aliases, never written.
FIRM_TAX_ID = ("lf_vendor_id", "lf_office_id", "lf_tax_id")
TASK = ("task_code", "acca_task")
ACTIVITY = ("task_activity", "acca_activity")
EXPENSE = ("expense_code", "acca_expense")


def detect_version(root: Node) -> str | None:
    """The LEDES XML format of a document from its root element and namespace."""
    tag, ns = root.tag.lower(), root.namespace.lower()
    if "2000" in tag or "2000" in ns or "l2k" in tag:
        return FORMAT_LEDES2000
    for fmt, (name, namespace) in XML_ROOTS.items():
        if tag == name.lower() or (ns and ns == namespace.lower()):
            return _by_namespace(ns) or fmt
    if tag.startswith("ledesxml"):
        return _by_namespace(ns) or FORMAT_XML20
    return None


def _by_namespace(ns: str) -> str | None:
    for digits, fmt in (("22", FORMAT_XML22), ("21", FORMAT_XML21), ("20", FORMAT_XML20)):
        if f"ledes{digits}" in ns:
            return fmt
    return None


def read_xml(raw: bytes, sink: Sink, *, envelope: str | None, build: bool) -> ParseResult:
    """Validate (and, with `build`, return the records of) one LEDES XML document."""
    try:
        root = parse_tree(raw)
    except XmlProblem as problem:
        sink.error("xml", problem.line, None, str(problem))
        return _result(None, envelope, [], sink, 0)
    fmt = detect_version(root)
    if fmt is None:
        sink.error(
            "header",
            root.line,
            None,
            f"<{root.tag}> is not a LEDES XML root element "
            "(ledesxml, ledesxmlebilling2.1, ledesxmlebilling2.2)",
            root.path,
        )
        return _result(None, envelope, [], sink, 0)
    reader = XmlReader(fmt, sink)
    invoices = reader.read(root)
    if not invoices:
        sink.error("empty", root.line, None, "the file holds no invoice", root.path)
    return _result(
        fmt, envelope, invoices if build else [], sink, reader.items, count=len(invoices)
    )


def _result(
    fmt: str | None,
    envelope: str | None,
    invoices: list[Invoice],
    sink: Sink,
    items: int,
    count: int = 0,
) -> ParseResult:
    issues = sorted(sink.issues, key=_position)
    return ParseResult(fmt, envelope, tuple(invoices), tuple(issues), items, count)


def _position(issue: Issue) -> int:
    return issue.line or 0


class XmlReader:
    """Walks firm -> client -> invoice -> matter -> fee/expense, checking as it goes."""

    def __init__(self, fmt: str, sink: Sink) -> None:
        self.format = fmt
        self.sink = sink
        self.items = 0
        self._file_items: dict[str, int] = {}

    # --- value readers: report and return None on a problem -----------------------------

    def text(self, node: Node, tag: str | tuple[str, ...], *, required: bool = False) -> str:
        tags = (tag,) if isinstance(tag, str) else tag
        child = node.first(*tags)
        if child is None or not child.text:
            if required:
                self.sink.error(
                    "required",
                    node.line,
                    tags[0],
                    f"<{tags[0]}> is required in <{node.tag}>",
                    node.path,
                )
            return ""
        return child.text

    def date(self, node: Node, tag: str, *, required: bool = False) -> date | None:
        text = self.text(node, tag, required=required)
        if not text:
            return None
        child = node.first(tag)
        assert child is not None
        if _ISO_DATE.fullmatch(text):
            try:
                return date.fromisoformat(text)
            except ValueError:
                pass
        self.sink.error(
            "date",
            child.line,
            tag,
            f"<{tag}> {text} is not a real date written YYYY-MM-DD",
            child.path,
        )
        return None

    def number(
        self, node: Node, tag: str, *, required: bool = False, spec: FieldSpec = _MONEY
    ) -> Decimal | None:
        text = self.text(node, tag, required=required)
        if not text:
            return None
        child = node.first(tag)
        assert child is not None
        named = FieldSpec(tag, spec.kind, spec.required, spec.length, spec.digits, spec.places)
        value = check_number(named, text, child.line, self.sink, child.path)
        return None if value is BAD else value  # type: ignore[return-value]

    def code(self, node: Node, tags: tuple[str, ...], *, required: bool) -> str | None:
        text = self.text(node, tags, required=required)
        if not text:
            return None
        child = node.first(*tags)
        assert child is not None
        spec = FieldSpec(child.tag, Kind.CODE, ALL, length=20)
        return (
            text if check_code(spec, text, child.line, self.sink, child.path) is not BAD else None
        )

    def classification(self, node: Node, tag: str) -> str | None:
        text = self.text(node, tag)
        child = node.first(tag)
        if not text or child is None:
            return None
        spec = FieldSpec(tag, Kind.CLASSIFICATION, ALL, length=10)
        check_classification(spec, text, child.line, self.sink, child.path)
        return text

    def file_item(self, node: Node) -> str:
        """`file_item_nbr`, which must be unique in the file."""
        number = self.text(node, "file_item_nbr")
        if number:
            if number in self._file_items:
                child = node.first("file_item_nbr")
                assert child is not None
                self.sink.error(
                    "duplicate-line-number",
                    child.line,
                    "file_item_nbr",
                    f"<file_item_nbr> {number} is also used on line "
                    f"{self._file_items[number]}; it must be unique in the file",
                    child.path,
                )
            else:
                self._file_items[number] = node.line
        return number

    # --- structure ----------------------------------------------------------------------

    def read(self, root: Node) -> list[Invoice]:
        invoices: list[Invoice] = []
        for firm in root.all("firm"):
            self.file_item(firm)
            taxes = self._firm_taxes(firm)
            law_firm = self._party(
                firm, "lf_name", "lf_address", self.text(firm, FIRM_TAX_ID) or None
            )
            for client in firm.all("client"):
                self.file_item(client)
                party = self._party(
                    client, "cl_name", "cl_address", self.text(client, "cl_tax_id") or None
                )
                for node in client.all("invoice"):
                    invoices.append(
                        _Invoice(self, firm, client, node, taxes, law_firm, party).read()
                    )
        return invoices

    def _firm_taxes(self, firm: Node) -> dict[str, Tax]:
        out: dict[str, Tax] = {}
        for tax in firm.all("tax"):
            self.file_item(tax)
            rate = self.number(tax, "tax_rate_percent", required=True, spec=_RATE)
            if rate is not None and not ZERO <= rate < 1:
                self.sink.error(
                    "number",
                    tax.line,
                    "tax_rate_percent",
                    "<tax_rate_percent> "
                    f"{rate} must be a fraction from 0 to below 1 (.175 = 17.5 %)",
                    tax.path,
                )
            tx_id = self.text(tax, "tx_id", required=True)
            out[tx_id] = Tax(
                self.text(tax, "tax_type") or None,
                rate,
                None,
                tx_id,
                self.text(tax, "taxing_jurisdiction") or None,
                tax.line,
                tax.path,
            )
        return out

    def _party(self, node: Node, name_tag: str, address_tag: str, tax_id: str | None) -> Party:
        address = node.first(address_tag)

        def part(tag: str) -> str | None:
            return (address.value(tag) or None) if address is not None else None

        return Party(
            self.text(node, name_tag) or None,
            part("address_1"),
            part("address_2"),
            part("city"),
            part("state_province"),
            part("zip_postal_code"),
            part("country"),
            tax_id,
        )


class _Invoice:
    """One <invoice>: its matters, lines and totals."""

    def __init__(
        self,
        reader: XmlReader,
        firm: Node,
        client: Node,
        node: Node,
        taxes: dict[str, Tax],
        law_firm: Party,
        client_party: Party,
    ) -> None:
        self.r = reader
        self.firm, self.client, self.node = firm, client, node
        self.taxes = taxes
        self.law_firm, self.client_party = law_firm, client_party
        self.currency = ""
        self.start: date | None = None
        self.end: date | None = None
        self.items: list[LineItem] = []
        self.matters: list[Matter] = []
        self.timekeepers: dict[str, Timekeeper] = {}
        self.account_type: str | None = None

    def read(self) -> Invoice:
        r, node = self.r, self.node
        r.file_item(node)
        number = r.text(node, "inv_id", required=True)
        invoice_date = r.date(node, "inv_date", required=True)
        self.currency = self._currency()
        self.start = r.date(node, "inv_start_date", required=True)
        self.end = r.date(node, "inv_end_date", required=True)
        if self.start and self.end and self.start > self.end:
            r.sink.error(
                "period",
                node.line,
                "inv_start_date",
                f"<inv_start_date> {self.start}"
                f" is after <inv_end_date> {self.end} (invoice {number})",
                node.path,
            )
            self.start = self.end = None
        tax_total = r.number(node, "inv_total_tax")
        total = r.number(node, "inv_total_net_due", required=True)
        due, tax_sum = self._matters(number)
        self._check_invoice_totals(number, total, tax_total, due, tax_sum)
        return self._record(number, invoice_date, total, tax_total)

    def _currency(self) -> str:
        code = self.r.text(self.node, "inv_currency", required=True)
        child = self.node.first("inv_currency")
        if code and code not in currencies() and child is not None:
            self.r.sink.error(
                "currency",
                child.line,
                "inv_currency",
                f"<inv_currency> {code!r} is not an ISO 4217 currency code",
                child.path,
            )
        return code

    def _matters(self, number: str) -> tuple[Decimal | None, Decimal]:
        """Read every matter; return (sum of matter_total_due or None, sum of line taxes)."""
        due_sum: Decimal | None = ZERO
        tax_sum = ZERO
        for matter in self.node.all("matter"):
            due, tax = _Matter(self, matter, number).read()
            due_sum = None if due is None or due_sum is None else due_sum + due
            tax_sum += tax
        return due_sum, tax_sum

    def _check_invoice_totals(
        self,
        number: str,
        total: Decimal | None,
        tax_total: Decimal | None,
        due: Decimal | None,
        tax_sum: Decimal,
    ) -> None:
        sink, node = self.r.sink, self.node
        gross = sum((i.total for i in self.items if i.total is not None), ZERO)
        if total is not None and abs(total - gross) > TOLERANCE:
            sink.error(
                "invoice-total",
                node.line,
                "inv_total_net_due",
                f"<inv_total_net_due> "
                f"{total} of invoice {number} should be {show(gross)} = the sum of its "
                "lines including tax and discounts",
                node.path,
            )
        elif total is not None and due is not None and abs(total - due) > TOLERANCE:
            sink.error(
                "invoice-total",
                node.line,
                "inv_total_net_due",
                f"<inv_total_net_due> "
                f"{total} of invoice {number} should be {show(due)} = the sum of its "
                "<matter_total_due>",
                node.path,
            )
        if tax_total is not None and abs(tax_total - tax_sum) > TOLERANCE:
            sink.error(
                "invoice-total",
                node.line,
                "inv_total_tax",
                f"<inv_total_tax> "
                f"{tax_total} of invoice {number} should be {show(tax_sum)} = the tax "
                "of its lines",
                node.path,
            )

    def _record(
        self,
        number: str,
        invoice_date: date | None,
        total: Decimal | None,
        tax_total: Decimal | None,
    ) -> Invoice:
        r, node = self.r, self.node
        first = self.matters[0] if self.matters else None
        return Invoice(
            invoice_number=number,
            invoice_date=invoice_date,
            law_firm_id=r.text(self.firm, "lf_id") or r.text(self.firm, FIRM_TAX_ID) or None,
            client_id=r.text(self.client, "cl_id") or None,
            client_matter_id=first.client_matter_id if first else None,
            law_firm_matter_id=first.law_firm_matter_id if first else None,
            billing_start_date=self.start,
            billing_end_date=self.end,
            description=r.text(node, "inv_desc") or None,
            currency=self.currency or None,
            total=total,
            line_items=tuple(self.items),
            tax_total=tax_total,
            net_total=total - tax_total if total is not None and tax_total is not None else None,
            account_type=self.account_type,
            due_date=r.date(node, "inv_due_date"),
            payment_terms=r.text(node, "inv_payment_terms") or None,
            law_firm=self.law_firm,
            client=self.client_party,
            matters=tuple(self.matters),
            timekeepers=tuple(self.timekeepers.values()),
            taxes=tuple(self.taxes.values()),
            source_format=r.format,
            line=node.line,
            path=node.path,
        )


class _Matter:
    """One <matter>: timekeepers, fees, expenses, discounts and the matter totals."""

    def __init__(self, inv: _Invoice, node: Node, number: str) -> None:
        self.inv, self.r, self.node, self.number = inv, inv.r, node, number
        self.sums = {
            "fee": ZERO,
            "expense": ZERO,
            "fee_tax": ZERO,
            "expense_tax": ZERO,
            "fee_disc": ZERO,
            "expense_disc": ZERO,
        }
        self.client_matter_id: str | None = None
        self.law_firm_matter_id: str | None = None

    def read(self) -> tuple[Decimal | None, Decimal]:
        r, node = self.r, self.node
        r.file_item(node)
        self.client_matter_id = r.text(node, "cl_matter_id") or None
        self.law_firm_matter_id = r.text(node, "lf_matter_id", required=True) or None
        self.inv.account_type = self.inv.account_type or r.text(node, "account_type") or None
        self.inv.matters.append(
            Matter(
                self.client_matter_id,
                self.law_firm_matter_id,
                r.text(node, "matter_name") or None,
                r.text(node, "po_number") or None,
                node.line,
                node.path,
            )
        )
        for tk in node.all("tksum"):
            self._timekeeper(tk)
        for kind in ("fee", "expense"):
            for item in node.all(kind):
                self._line(item, kind)
        for disc in node.all("matter_disc_cred"):
            self._discount(disc)
        for tax in node.all("tax_summary"):
            r.file_item(tax)
        return self._check_matter_totals(), self.sums["fee_tax"] + self.sums["expense_tax"]

    def _timekeeper(self, tk: Node) -> None:
        r = self.r
        r.file_item(tk)
        tk_id = r.text(tk, "tk_id", required=True)
        last, first = r.text(tk, "tk_lname") or None, r.text(tk, "tk_fname") or None
        name = f"{last}, {first}" if last and first else last or first
        self.inv.timekeepers.setdefault(
            tk_id,
            Timekeeper(
                tk_id,
                name,
                last,
                first,
                r.classification(tk, "tk_level"),
                r.number(tk, "tk_rate"),
                tk.line,
                tk.path,
            ),
        )

    def _line(self, item: Node, kind: str) -> None:
        r = self.r
        r.file_item(item)
        fee = kind == "fee"
        charge_type = r.text(item, "charge_type") or "U"
        units, rate = r.number(item, "units"), r.number(item, "rate")
        base = r.number(item, "base_amount")
        disc = r.number(item, "item_disc_cred_amount")
        total = r.number(item, "total_amount", required=True)
        self._check_line(item, charge_type, units, rate, base, disc, total)
        taxes = self._line_taxes(item, "tax_item_fee" if fee else "tax_item_expense", total)
        tax = sum((t.amount or ZERO for t in taxes), ZERO)
        if total is not None:
            self.sums[kind] += total
        self.sums[f"{kind}_tax"] += tax
        day = r.date(item, "charge_date", required=True)
        self._check_period(item, day)
        tk_id = r.text(item, "tk_id", required=fee) or None
        tk = self.inv.timekeepers.get(tk_id or "")
        self.r.items += 1
        self.inv.items.append(
            LineItem(
                line_item_number=r.text(item, "file_item_nbr") or str(len(self.inv.items) + 1),
                type="F" if fee else "E",
                total=total + tax if total is not None else None,
                date=day,
                units=units,
                unit_cost=rate,
                adjustment_amount=disc,
                task_code=r.code(item, TASK, required=fee) if fee else None,
                activity_code=r.code(item, ACTIVITY, required=fee) if fee else None,
                expense_code=None if fee else r.code(item, EXPENSE, required=True),
                timekeeper_id=tk_id,
                timekeeper_name=tk.name if tk else None,
                timekeeper_last_name=tk.last_name if tk else None,
                timekeeper_first_name=tk.first_name if tk else None,
                timekeeper_classification=r.classification(item, "tk_level") if fee else None,
                description=r.text(item, "charge_desc", required=fee) or None,
                client_matter_id=self.client_matter_id,
                law_firm_matter_id=self.law_firm_matter_id,
                tax_rate=taxes[0].rate if len(taxes) == 1 else None,
                tax_total=tax,
                tax_type=taxes[0].tax_type if len(taxes) == 1 else None,
                taxes=tuple(taxes),
                charge_type=charge_type,
                base_amount=base,
                line=item.line,
                path=item.path,
            )
        )

    def _check_line(
        self,
        item: Node,
        charge_type: str,
        units: Decimal | None,
        rate: Decimal | None,
        base: Decimal | None,
        disc: Decimal | None,
        total: Decimal | None,
    ) -> None:
        sink = self.r.sink
        if charge_type == "U" and None not in (units, rate, base):
            assert units is not None and rate is not None and base is not None
            if abs(units * rate - base) > TOLERANCE:
                sink.error(
                    "line-total",
                    item.line,
                    "base_amount",
                    f"<base_amount> {base} should be {show(units * rate)} = {units} x {rate}",
                    item.path,
                )
        if base is not None and total is not None:
            expected = base + (disc or ZERO)
            if abs(expected - total) > TOLERANCE:
                sink.error(
                    "line-total",
                    item.line,
                    "total_amount",
                    f"<total_amount> {total} "
                    f"should be {show(expected)} = {base} + discount/credit "
                    f"{disc or ZERO}",
                    item.path,
                )

    def _line_taxes(self, item: Node, tag: str, total: Decimal | None) -> list[Tax]:
        out = []
        places = Decimal(1).scaleb(-minor_unit(self.inv.currency or None))
        for link in item.all(tag):
            self.r.file_item(link)
            tx_id = self.r.text(link, "tx_id", required=True)
            declared = self.inv.taxes.get(tx_id)
            if declared is None:
                self.r.sink.error(
                    "reference",
                    link.line,
                    "tx_id",
                    f"<tx_id> {tx_id!r} names no <tax> of the firm",
                    link.path,
                )
                continue
            amount = None
            if declared.rate is not None and total is not None:
                amount = (total * declared.rate).quantize(places, ROUND_HALF_UP)
            out.append(
                Tax(
                    declared.tax_type,
                    declared.rate,
                    amount,
                    tx_id,
                    declared.jurisdiction,
                    link.line,
                    link.path,
                )
            )
        return out

    def _check_period(self, item: Node, day: date | None) -> None:
        start, end = self.inv.start, self.inv.end
        if day is not None and start is not None and end is not None and not start <= day <= end:
            self.r.sink.warning(
                "line-date-outside-period",
                item.line,
                "charge_date",
                f"<charge_date> {day} is outside the billing period {start} to "
                f"{end} of invoice {self.number}",
                item.path,
            )

    def _discount(self, disc: Node) -> None:
        """An invoice-level discount or credit: an IF or IE line with a signed amount."""
        r = self.r
        r.file_item(disc)
        amount = r.number(disc, "disc_cred_amount", required=True)
        if (
            amount is not None
            and amount > 0
            and r.text(disc, "increase_decrease").lower().startswith("d")
        ):
            amount = -amount
        fee = r.text(disc, "disc_cred_category").lower().startswith("fee")
        if amount is not None:
            self.sums["fee_disc" if fee else "expense_disc"] += amount
        r.items += 1
        self.inv.items.append(
            LineItem(
                line_item_number=r.text(disc, "file_item_nbr") or str(len(self.inv.items) + 1),
                type="IF" if fee else "IE",
                total=amount,
                date=self.inv.end,
                adjustment_amount=amount,
                description=r.text(disc, "disc_cred") or None,
                client_matter_id=self.client_matter_id,
                law_firm_matter_id=self.law_firm_matter_id,
                line=disc.line,
                path=disc.path,
            )
        )

    def _check_matter_totals(self) -> Decimal | None:
        """Each stated matter total against the lines; returns matter_total_due (or None)."""
        s = self.sums
        fees_net = s["fee"] + s["fee_disc"] + s["fee_tax"]
        exp_net = s["expense"] + s["expense_disc"] + s["expense_tax"]
        expected = {
            "matter_total_detail_fees": (s["fee"], "the sum of its fee total_amount"),
            "matter_total_detail_exp": (s["expense"], "the sum of its expense total_amount"),
            "matter_disc_credit_fees": (s["fee_disc"], "the sum of its fee discounts/credits"),
            "matter_disc_credit_exp": (s["expense_disc"], "the sum of its expense discounts"),
            "matter_tax_on_fees": (s["fee_tax"], "the tax on its fees"),
            "matter_tax_on_exp": (s["expense_tax"], "the tax on its expenses"),
            "matter_net_fees": (fees_net, "fees + discounts + tax"),
            "matter_net_exp": (exp_net, "expenses + discounts + tax"),
            "matter_total_due": (fees_net + exp_net, "net fees + net expenses"),
        }
        for tag, (want, why) in expected.items():
            self._compare(tag, want, why)
        return fees_net + exp_net

    def _compare(self, tag: str, want: Decimal, why: str) -> None:
        stated = self.r.number(self.node, tag)
        child = self.node.first(tag)
        if stated is not None and child is not None and abs(stated - want) > TOLERANCE:
            self.r.sink.error(
                "invoice-total",
                child.line,
                tag,
                f"<{tag}> {stated} of matter "
                f"{self.law_firm_matter_id} should be {show(want)} = {why}",
                child.path,
            )
