"""The built-in reason codes for manual adjustments and decisions (spec/guidelines.md, "Reason
codes"; reference/billing-guidelines.md §4). Admins may add their own."""

from django.db import migrations

BUILT_IN = [
    ("rate", "Rate above the approved rate"),
    ("block-billing", "Block billing"),
    ("vague", "Vague description"),
    ("clerical", "Clerical or administrative work"),
    ("staffing", "Staffing (excess attendees, work below level)"),
    ("travel", "Travel"),
    ("expense", "Expense not reimbursable or above its cap"),
    ("duplicate", "Duplicate charge"),
    ("outside-scope", "Outside the engagement's scope"),
    ("budget", "Over budget"),
    ("guidelines", "Breach of the billing guidelines"),
    ("billing-error", "Billing error (arithmetic, codes, dates)"),
    ("agreed", "Agreed with the firm"),
    ("other", "Other (say why in the comment)"),
]


def add(apps, schema_editor):
    ReasonCode = apps.get_model("invoices", "ReasonCode")
    for code, label in BUILT_IN:
        ReasonCode.objects.update_or_create(code=code, defaults={"label": label, "built_in": True})


def remove(apps, schema_editor):
    apps.get_model("invoices", "ReasonCode").objects.filter(built_in=True).delete()


class Migration(migrations.Migration):
    dependencies = [("invoices", "0001_initial")]
    operations = [migrations.RunPython(add, remove)]
