"""Time approval routing, the approver's queue, AP export and the payments import at volume.

    python bench/approvals_bench.py [--invoices 1000]

Runs in a fresh temporary data directory (SQLite) or, with DATABASE_URL set, on that
PostgreSQL database (flushed first). Builds N reviewed invoices of one firm and matter with
two lines each, then measures, through the same services the UI and API call:
  submit      every invoice submitted for approval (routing rule chosen, two-level chain)
  queue       the first page of "My approvals" for the lead attorney (server-side render)
  escalation  the hourly job, 8 days later, escalating every idle level 1 to level 2
  approve     every invoice's last level approved (one transaction each)
  ap batch    one AP batch of all approved invoices, then its CSV and Excel files
  payments    a payments file of N rows imported (checked whole, written all-or-nothing)
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any


def timed(label: str, func: Callable[[], Any], count: int | None = None) -> Any:
    started = time.perf_counter()
    result = func()
    elapsed = time.perf_counter() - started
    rate = f"  ({elapsed / count * 1000:6.2f} ms each)" if count else ""
    print(f"{label:<34} {elapsed:8.2f} s{rate}", flush=True)
    return result


def build(n: int) -> dict[str, Any]:
    from decimal import Decimal

    from legalops.accounts.models import Role, User
    from legalops.invoices.models import Invoice, InvoiceLine, State
    from legalops.matters.models import Matter, MatterFirm
    from legalops.vendors.models import LawFirm

    lead = User.objects.create(username="lead", role=Role.ATTORNEY, email="lead@example.com")
    admin = User.objects.create(username="ops", role=Role.ADMIN, email="ops@example.com")
    firm = LawFirm.objects.create(law_firm_id="11-1111111", name="Bench LLP")
    matter = Matter.objects.create(
        number="B-1",
        name="Bench",
        matter_type="litigation",
        opened_on=datetime.date(2026, 1, 1),
        lead_attorney=lead,
    )
    MatterFirm.objects.create(matter=matter, firm=firm)
    day = datetime.date(2026, 10, 1)
    invoices = Invoice.objects.bulk_create(
        Invoice(
            firm=firm,
            matter=matter,
            invoice_number=f"B-{i:06d}",
            state=State.IN_REVIEW,
            source="seed",
            invoice_date=day,
            currency="USD",
            billed_minor=150000,
            approved_minor=150000,
            received_on=day,
        )
        for i in range(n)
    )
    InvoiceLine.objects.bulk_create(
        InvoiceLine(
            invoice=invoice,
            index=k,
            line_item_number=str(k + 1),
            kind="F",
            billed_total=Decimal("750"),
            billed_minor=75000,
            approved_minor=75000,
        )
        for invoice in invoices
        for k in range(2)
    )
    return {"lead": lead, "admin": admin, "firm": firm, "invoices": invoices}


def run(n: int) -> None:
    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    from legalops.approvals import escalation, services
    from legalops.core import imports
    from legalops.invoices import services as invoices
    from legalops.payables import export
    from legalops.payables import services as payables

    call_command("migrate", verbosity=0)
    world = timed(f"build {n} invoices", lambda: build(n))
    lead, admin, batch_of = world["lead"], world["admin"], world["invoices"]
    services.routing_rule_save(
        actor=None,
        rule=None,
        spec=services.RuleSpec(
            name="Lead, then legal ops above 1,000",
            steps=(
                services.StepSpec(kind="lead_attorney"),
                services.StepSpec(kind="pool", pool_role="admin", above=Decimal("1000")),
            ),
        ),
    )

    def submit() -> None:
        for invoice in batch_of:
            invoices.invoice_submit_for_approval(actor=admin, invoice=invoice)

    def approve() -> None:
        for invoice in batch_of:
            invoices.invoice_approve(actor=admin, invoice=invoice)

    timed("submit (route) each", submit, n)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(lead)
    client.get("/approvals/")  # warm up templates
    timed("queue: first page of My approvals", lambda: client.get("/approvals/"))
    later = timezone.now() + datetime.timedelta(days=8)
    timed("escalation job, level 1 idle (each)", lambda: escalation.escalate_idle(later), n)
    timed("approve the last level each", approve, n)
    batch = timed("ap batch of all", lambda: payables.ap_batch_create(actor=admin), n)
    timed("  its CSV", lambda: export.batch_csv(batch))
    timed("  its Excel", lambda: export.batch_xlsx(batch))
    today = timezone.localdate().isoformat()
    rows = "".join(f"11-1111111,B-{i:06d},{today},1500.00,P{i}\n" for i in range(n))
    data = ("law_firm_id,invoice_number,paid_date,amount,reference\n" + rows).encode()
    result = timed(
        "payments import",
        lambda: imports.import_file(actor=None, kind="payments", name="p.csv", data=data),
        n,
    )
    assert result.written, result.problems[:3]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--invoices", type=int, default=1000)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        os.environ["LEGALOPS_DATA_DIR"] = data_dir
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "legalops.settings")
        sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))
        import django

        django.setup()
        if os.environ.get("DATABASE_URL"):
            from django.core.management import call_command

            call_command("flush", "--no-input", verbosity=0)
        db = "PostgreSQL" if os.environ.get("DATABASE_URL") else "SQLite"
        print(f"{options.invoices} invoices on {db}; load average {os.getloadavg()[0]:.1f}")
        run(options.invoices)


if __name__ == "__main__":
    main()
