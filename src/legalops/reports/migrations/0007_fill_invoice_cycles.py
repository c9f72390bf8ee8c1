"""Fills `InvoiceCycle` (and so `InvoiceCycleMonth`) for the invoices a database already
held when reports.0003 added the table: 0003 created it empty, so a database upgraded across
it had cycle times only for the decisions taken after the upgrade. On a database whose rows
are complete (seeded or rebuilt since), this rewrites the same rows."""

from django.db import migrations


def fill_invoice_cycles(apps, schema_editor):
    from legalops.reports.rollups import fill_in_migration, rebuild_cycles

    fill_in_migration("reports.0007", rebuild_cycles)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0006_work_month"),
    ]

    operations = [
        migrations.RunPython(fill_invoice_cycles, migrations.RunPython.noop),
    ]
