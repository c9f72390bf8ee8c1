"""A partial index on the invoice rollup rows with amounts left unconverted (no FX rate):
every dashboard lists them (`kpis_report.fx_warnings`), a few rows instead of a scan."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0004_invoice_cycle_month"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="invoicemonth",
            index=models.Index(
                condition=models.Q(("unconverted__gt", 0)),
                fields=["currency", "month"],
                name="invoice_month_unconverted_idx",
            ),
        ),
    ]
