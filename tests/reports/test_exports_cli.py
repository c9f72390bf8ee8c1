"""`legalops export kpi --xlsx OUT [--from --to]`: the whole KPI workbook from the command line."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from python_calamine import CalamineWorkbook
from tests.reports.views_dataset import spend_dataset

from legalops.reports.registry import REGISTRY


def test_the_kpi_workbook_covers_the_period_with_charts_and_definitions(
    tmp_path: Path, firm_a: Any, firm_b: Any, attorney: Any
):
    spend_dataset(firm_a, firm_b, attorney)
    out = tmp_path / "kpis.xlsx"
    stdout = io.StringIO()
    call_command("export", "kpi", "--xlsx", str(out), "--from", "2026-02-01", stdout=stdout)
    assert f"wrote {out}" in stdout.getvalue()
    data = out.read_bytes()
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    assert book.sheet_names[0] == "Key figures" and book.sheet_names[-1] == "Definitions"
    figures = {row[0]: row[1] for row in book.get_sheet_by_name("Key figures").to_python()[4:]}
    # every KPI of the registry is listed; February only: A2 300.00 + B1 250.50 (the CLI
    # reads the whole department, not only one attorney's matters)
    assert set(figures) == {kpi.name for kpi in REGISTRY.values()}
    assert figures[REGISTRY["total_billed"].name] == 550.5
    defined = [row[0] for row in book.get_sheet_by_name("Definitions").to_python()[4:]]
    assert defined == [kpi.name for kpi in REGISTRY.values()]
    assert "xl/charts/chart1.xml" in zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert list(tmp_path.iterdir()) == [out]  # no temporary file left behind


def test_a_bad_date_or_an_unwritable_output_is_a_usage_error(tmp_path: Path, db: None):
    with pytest.raises(CommandError, match="from: '2026-02-30' is not a date") as bad:
        call_command("export", "kpi", "--xlsx", str(tmp_path / "x.xlsx"), "--from", "2026-02-30")
    assert bad.value.returncode == 2
    with pytest.raises(CommandError, match="cannot write") as unwritable:
        call_command("export", "kpi", "--xlsx", str(tmp_path / "missing" / "x.xlsx"))
    assert unwritable.value.returncode == 2
