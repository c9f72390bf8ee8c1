from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from legalops.core.money import format_minor
from legalops.invoices.models import Invoice
from legalops.invoices.selectors import invoice_json


class Command(BaseCommand):
    help = "Invoices in the database: `show NUMBER [--firm LAW_FIRM_ID] [--json]`, `list`."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        show = sub.add_parser("show", help="one invoice with its lines and flags")
        show.add_argument("number", metavar="NUMBER")
        show.add_argument("--firm", metavar="LAW_FIRM_ID")
        show.add_argument("--json", action="store_true")
        listing = sub.add_parser("list", help="invoices, newest first")
        listing.add_argument("--state")
        listing.add_argument("--firm", metavar="LAW_FIRM_ID")
        listing.add_argument("--limit", type=int, default=50)

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"_{options['action']}")(options)

    def _show(self, options: dict[str, Any]) -> None:
        invoice = self._find(options["number"], options["firm"])
        data = invoice_json(invoice)
        if options["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False))
            return
        self.stdout.write(
            f"invoice {data['invoice_number']} of {invoice.firm.name} "
            f"({data['law_firm_id']}), matter {data['client_matter_id']}: "
            f"{invoice.get_state_display()}"
        )
        self.stdout.write(
            f"billed {data['billed_total']} {data['currency']}, approved "
            f"{data['approved_total']} {data['currency']}"
        )
        for flag in data["flags"]:  # type: ignore[attr-defined]
            self.stdout.write(f"  invoice: [{flag['rule']}] {flag['action']}: {flag['message']}")
        for line in data["lines"]:  # type: ignore[attr-defined]
            for flag in line["flags"]:
                self.stdout.write(
                    f"  line {line['line_item_number']}: [{flag['rule']}] "
                    f"{flag['action']} {flag['amount']}: {flag['message']}"
                )

    def _find(self, number: str, law_firm_id: str | None) -> Invoice:
        invoices = Invoice.objects.filter(invoice_number=number).select_related("firm", "matter")
        if law_firm_id:
            invoices = invoices.filter(firm__law_firm_id=law_firm_id)
        found = list(invoices.order_by("-received_at")[:10])
        if not found:
            raise CommandError(
                f"no invoice {number!r}" + (f" from firm {law_firm_id}" if law_firm_id else "")
            )
        firms = {inv.firm.law_firm_id for inv in found}
        if len(firms) > 1:
            raise CommandError(
                f"invoice {number!r} exists for several firms "
                f"({', '.join(sorted(firms))}): add --firm LAW_FIRM_ID"
            )
        return found[0]

    def _list(self, options: dict[str, Any]) -> None:
        invoices = Invoice.objects.select_related("firm", "matter")
        if options["state"]:
            invoices = invoices.filter(state=options["state"])
        if options["firm"]:
            invoices = invoices.filter(firm__law_firm_id=options["firm"])
        for inv in invoices.order_by("-received_at")[: options["limit"]]:
            self.stdout.write(
                f"{inv.invoice_number:<16} {inv.firm.law_firm_id:<12} "
                f"{inv.matter.number:<12} {inv.state:<18} "
                f"{format_minor(inv.billed_minor, inv.currency):>14} "
                f"{format_minor(inv.approved_minor, inv.currency):>14} "
                f"{inv.currency}"
            )
