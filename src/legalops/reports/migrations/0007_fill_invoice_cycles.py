"""Fills `InvoiceCycle` (and so `InvoiceCycleMonth`) for the invoices a database already
held when reports.0003 added the table: 0003 created it empty, so a database upgraded across
it had cycle times only for the decisions taken after the upgrade. On a database whose rows
are complete (seeded or rebuilt since), this rewrites the same rows."""

import sys

from django.db import DatabaseError, migrations, transaction


def fill_invoice_cycles(apps, schema_editor):
    """Runs the application's rollup code (the historical models do not carry the cycle
    logic); should a later change to the invoice tables make that fail on a database migrated
    in one go from before it, the rows stay as they are and this says to run `legalops
    rollups rebuild`."""
    from legalops.reports.rollups import rebuild_cycles

    try:
        with transaction.atomic():
            rebuild_cycles()
    except DatabaseError as error:
        sys.stderr.write(
            f"reports.0007: invoice cycles not filled ({error}); run `legalops rollups rebuild`\n"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0006_work_month"),
    ]

    operations = [
        migrations.RunPython(fill_invoice_cycles, migrations.RunPython.noop),
    ]
