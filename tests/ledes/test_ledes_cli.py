"""`legalops ledes validate|convert`: exit codes, JSON Lines shape, messages on stderr."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from tests.ledes.ledes_builders import bi_invoice, fee_invoice

from legalops.ledes.cli import main

KEYS = ["file", "format", "envelope", "valid", "invoices", "line_items", "errors", "warnings"]
ISSUE_KEYS = ["line", "path", "field", "code", "message"]


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    paths = {
        "good": tmp_path / "good.txt",
        "bad": tmp_path / "bad.txt",
        "warn": tmp_path / "warn.txt",
    }
    paths["good"].write_text(fee_invoice())
    paths["bad"].write_text(fee_invoice(LINE_ITEM_TOTAL="631"))
    paths["warn"].write_text(fee_invoice(TIMEKEEPER_CLASSIFICATION="PT"))
    return paths


def run_json(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, list[dict]]:
    code = main(["validate", "--json", *args])
    lines = capsys.readouterr().out.splitlines()
    return code, [json.loads(line) for line in lines]


def test_valid_file_exit_0_and_json_shape(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    code, (obj,) = run_json([str(files["good"])], capsys)
    assert code == 0
    assert list(obj) == KEYS
    assert obj["file"] == str(files["good"]) and obj["valid"] is True
    assert (obj["format"], obj["envelope"], obj["invoices"], obj["line_items"]) == (
        "1998B",
        None,
        1,
        3,
    )


def test_invalid_file_exit_1_with_errors(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    code, (obj,) = run_json([str(files["bad"])], capsys)
    assert code == 1 and obj["valid"] is False
    codes = [e["code"] for e in obj["errors"]]
    assert "line-total" in codes and "invoice-total" in codes
    assert all(list(e) == ISSUE_KEYS for e in obj["errors"])
    line_total = next(e for e in obj["errors"] if e["code"] == "line-total")
    assert (line_total["line"], line_total["path"], line_total["field"]) == (
        3,
        None,
        "LINE_ITEM_TOTAL",
    )


def test_warnings_never_make_a_file_invalid(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    code, (obj,) = run_json([str(files["warn"])], capsys)
    assert code == 0 and obj["valid"] is True
    assert [w["code"] for w in obj["warnings"]] == ["legacy-classification"]


def test_several_files_one_json_line_each_and_worst_exit(
    files: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, objs = run_json([str(files["good"]), str(files["bad"])], capsys)
    assert code == 1 and [o["valid"] for o in objs] == [True, False]
    missing = tmp_path / "missing.txt"
    code = main(["validate", "--json", str(files["bad"]), str(missing)])
    out, err = capsys.readouterr()
    assert code == 2 and len(out.splitlines()) == 1
    assert str(missing) in err


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert main(["validate"]) == 2
    assert main(["frobnicate"]) == 2
    assert main(["convert", "x.txt"]) == 2  # --to is required
    capsys.readouterr()


def test_human_output_names_file_line_and_code(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", str(files["bad"])]) == 1
    out = capsys.readouterr().out
    assert out.startswith(f"{files['bad']}: INVALID (1998B;")
    assert f"{files['bad']}: error: line 3: LINE_ITEM_TOTAL 631 should be 630.00" in out


def test_convert_writes_and_refuses(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "bi.txt"
    source.write_text(
        bi_invoice(header={"INVOICE_REPORTED_TAX_TOTAL": "", "INVOICE_TAX_CURRENCY": ""})
    )
    out = tmp_path / "out.xml"
    assert main(["convert", str(source), "--to", "xml2.2", "-o", str(out)]) == 0
    assert out.read_text().startswith('<?xml version="1.0" encoding="utf-8"?>')
    assert main(["convert", str(source), "--to", "1998b"]) == 1
    err = capsys.readouterr().err
    assert "cannot convert to 1998B" in err and "currency GBP" in err
    assert main(["convert", str(source), "--to", "PDF"]) == 2
    assert main(["convert", str(tmp_path / "nope.txt"), "--to", "98BI"]) == 2


def test_whole_process_without_django(files: dict[str, Path]) -> None:
    code = (
        "import sys, runpy; sys.argv = ['legalops', 'ledes', 'validate', '--json', "
        f"{str(files['bad'])!r}]\n"
        "try:\n    runpy.run_module('legalops.cli', run_name='__main__')\n"
        "except SystemExit as e:\n    rc = e.code\n"
        "assert not any(m.startswith('django') for m in sys.modules), 'django imported'\n"
        "sys.exit(rc)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert proc.returncode == 1, proc.stderr
    assert json.loads(proc.stdout)["valid"] is False
