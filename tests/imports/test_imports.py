# ruff: noqa: E501 - spreadsheet rows read best on one line
import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from tests.factories import BusinessUnitFactory, PracticeAreaFactory
from tests.imports.xlsx import xlsx

from legalops.audit.models import AuditEvent
from legalops.core import imports
from legalops.matters.models import Budget, Matter
from legalops.vendors.models import LawFirm, Rate, Timekeeper

FIRMS = (
    "law_firm_id,name,aliases,status,currency,payment_terms_days\n"
    "11-1111111,Alpha LLP,Alpha;A LLP,preferred,USD,30\n"
    "22-2222222,Beta PC,,approved,EUR,45\n"
)


def run(admin, kind, text, name="f.csv", **kw):
    data = text.encode() if isinstance(text, str) else text
    return imports.import_file(actor=admin, kind=kind, name=name, data=data, **kw)


def test_firms_import_is_idempotent_and_a_changed_row_updates(admin):
    first = run(admin, "firms", FIRMS)
    assert (first.summary, first.written) == ("2 created, 0 updated, 0 unchanged", True)
    assert LawFirm.objects.get(law_firm_id="11-1111111").aliases == ["A LLP", "Alpha"]
    events = AuditEvent.objects.count()
    again = run(admin, "firms", FIRMS)
    assert again.summary == "0 created, 0 updated, 2 unchanged"
    assert AuditEvent.objects.count() == events  # nothing written, not even an import event
    changed = run(
        admin, "firms", FIRMS.replace("Beta PC,,approved,EUR,45", "Beta PC,,inactive,EUR,60")
    )
    assert changed.summary == "0 created, 1 updated, 1 unchanged"
    assert LawFirm.objects.get(law_firm_id="22-2222222").payment_terms_days == 60


def test_one_bad_row_rejects_the_whole_file_with_every_problem(admin):
    text = FIRMS + "33-3333333,,x,weird,XXX,soon\n11-1111111,Alpha again,,approved,USD,30\n"
    result = run(admin, "firms", text)
    assert not result.written and LawFirm.objects.count() == 0
    assert [(p.row, p.column) for p in result.problems] == [
        (4, "name"),
        (4, "status"),
        (4, "currency"),
        (4, "payment_terms_days"),
        (5, ""),
    ]
    assert str(result.problems[0]) == "f.csv:4: name: is required"
    assert result.problems[-1].message == "the same LAW_FIRM_ID as row 2"


def test_every_cell_problem_of_a_row_is_reported(admin):
    text = "law_firm_id,name,status,currency,payment_terms_days\n44-4,Delta,weird,USD,30\n44-5,Eps,approved,XXX,30\n44-6,Zeta,approved,USD,soon\n"
    result = run(admin, "firms", text)
    assert [(p.row, p.column) for p in result.problems] == [
        (2, "status"),
        (3, "currency"),
        (4, "payment_terms_days"),
    ]


def test_missing_columns_are_a_header_problem(admin):
    result = run(admin, "firms", "law_firm_id,title\n1,x\n")
    assert [(p.row, p.column, p.message) for p in result.problems] == [
        (1, "header", "missing columns: name")
    ]


def test_timekeepers_and_rates_with_create_missing(admin):
    rates = (
        "law_firm_id,timekeeper_id,timekeeper_name,classification,rate,currency,effective_from,effective_to,client_matter_id\n"
        '11-1111111,JS,"Smith, Jane",PARTNR,950.1234,USD,2026-01-01,2026-12-31,\n'
        "11-1111111,,,ASSOC,500,USD,2026-01-01,,\n"
        "11-1111111,,,ASSOC,450,USD,2026-01-01,,LIT-1\n"
    )
    refused = run(admin, "rates", rates)
    assert {p.column for p in refused.problems} == {"law_firm_id", "client_matter_id"}
    result = run(admin, "rates", rates, create_missing=True)
    assert result.written, result.problems
    assert Timekeeper.objects.get(timekeeper_id="JS").name == "Smith, Jane"
    assert Rate.objects.get(timekeeper__timekeeper_id="JS").rate == Decimal("950.1234")
    assert Matter.objects.filter(number="LIT-1").exists()
    assert run(admin, "rates", rates).summary == "0 created, 0 updated, 3 unchanged"


def test_overlapping_rates_in_a_file_roll_everything_back(admin):
    run(admin, "firms", FIRMS)
    rates = (
        "law_firm_id,timekeeper_id,timekeeper_name,classification,rate,currency,effective_from,effective_to\n"
        "11-1111111,,,ASSOC,500,USD,2026-01-01,\n"
        "11-1111111,,,ASSOC,520,USD,2026-06-01,\n"
    )
    result = run(admin, "rates", rates)
    assert not result.written and Rate.objects.count() == 0
    assert [(p.row, p.column) for p in result.problems] == [(3, "effective_from")]
    assert "overlaps" in result.problems[0].message


def test_matters_and_budgets(admin, attorney):
    PracticeAreaFactory(code="LIT", name="Litigation")
    BusinessUnitFactory(code="SALES", name="Sales")
    run(admin, "firms", FIRMS)
    matters = (
        "client_matter_id,name,matter_type,practice_area,business_unit,status,opened,closed,lead_attorney,law_firm_ids,currency,confidential\n"
        f"LIT-1,Acme v. Us,litigation,lit,Sales,open,2026-02-01,,{attorney.username},11-1111111;22-2222222,USD,yes\n"
        "ADV-2,Policy,advisory,,,closed,2025-01-01,2025-06-30,,,USD,no\n"
    )
    assert run(admin, "matters", matters).summary == "2 created, 0 updated, 0 unchanged"
    lit = Matter.objects.get(number="LIT-1")
    assert lit.confidential and lit.lead_attorney == attorney and lit.assignments.count() == 2
    assert Matter.objects.get(number="ADV-2").closed_on == datetime.date(2025, 6, 30)
    assert run(admin, "matters", matters).summary == "0 created, 0 updated, 2 unchanged"
    budgets = (
        "client_matter_id,law_firm_id,fiscal_year,phase,amount,currency\n"
        "LIT-1,11-1111111,2026,L100,10000,USD\n"
        "LIT-1,11-1111111,2026,L200,25000.50,USD\n"
    )
    assert run(admin, "budgets", budgets).summary == "1 created, 0 updated, 0 unchanged"
    budget = Budget.objects.get()
    assert budget.approved_version.total_minor == 3_500_050
    assert run(admin, "budgets", budgets).summary == "0 created, 0 updated, 1 unchanged"
    run(admin, "budgets", budgets.replace("25000.50", "30000"))
    budget.refresh_from_db()
    assert budget.approved_version.number == 2


def test_xlsx_first_sheet_with_numbers_and_dates(admin):
    data = xlsx(
        [
            ["law_firm_id", "name", "aliases", "status", "currency", "payment_terms_days"],
            ["55-5555555", "Excel LLP", "", "approved", "GBP", 45],
            [],
            ["66-6666666", "Sheet PC", "S;P", "preferred", "USD", 30.0],
        ]
    )
    result = run(admin, "firms", data, name="firms.xlsx")
    assert result.written, result.problems
    assert LawFirm.objects.get(law_firm_id="55-5555555").payment_terms_days == 45
    bad = run(admin, "firms", xlsx([["law_firm_id", "name"], ["77-7", ""]]), name="b.xlsx")
    assert [str(p) for p in bad.problems] == ["b.xlsx:2: name: is required"]


def test_unreadable_files(admin):
    with pytest.raises(imports.Unreadable, match="not UTF-8"):
        run(admin, "firms", b"\xff\xfe\x00name")
    with pytest.raises(imports.Unreadable, match="not a readable spreadsheet"):
        run(admin, "firms", b"not a zip", name="x.xlsx")
    with pytest.raises(imports.Unreadable, match="empty"):
        run(admin, "firms", b"")


def test_only_admins_import(attorney, firm_a_user):
    from django.core.exceptions import PermissionDenied

    for actor in (attorney, firm_a_user):
        with pytest.raises(PermissionDenied):
            run(actor, "firms", FIRMS)


def test_the_cli_reports_rows_and_exit_codes(db, tmp_path):
    good = tmp_path / "firms.csv"
    good.write_text(FIRMS)
    out = io.StringIO()
    call_command("import", "firms", str(good), stdout=out)
    assert "2 created" in out.getvalue()
    bad = tmp_path / "bad.csv"
    bad.write_text("law_firm_id,name\n1,\n")
    err = io.StringIO()
    with pytest.raises(CommandError) as rejected:
        call_command("import", "firms", str(bad), stderr=err)
    assert rejected.value.returncode == 1
    assert f"{bad}:2: name: is required" in err.getvalue()
    with pytest.raises(CommandError) as missing:
        call_command("import", "firms", str(tmp_path / "nope.csv"), stderr=io.StringIO())
    assert missing.value.returncode == 2


def test_templates_have_the_spec_columns():
    assert imports.importers()["rates"].template().splitlines()[0] == (
        "law_firm_id,timekeeper_id,timekeeper_name,classification,rate,currency,"
        "effective_from,effective_to,client_matter_id"
    )
    assert imports.importers()["budgets"].template().splitlines()[0] == (
        "client_matter_id,law_firm_id,fiscal_year,phase,amount,currency"
    )
