"""`legalops review`: corpus files, exit codes, the JSON contract, byte-identical output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from tests.guidelines.guidelines_builders import expense, fee, invoice

from legalops.guidelines.adapter import ledes_from_invoice
from legalops.guidelines.cli import main
from legalops.ledes import write

REPO = Path(__file__).resolve().parents[2]
GOOD = "Lexitree-Labs__LEDES/test__data__ledes1998b_good.txt"
CLEAN = "travisbashor__ledes-parser/tests__data__ledes_98B@f0ac5be.txt"
BAD = "Lexitree-Labs__LEDES/test__data__ledes1998b_eager_bad.txt"
SMIME = "vijrams__digital-signature/src__test__resources__sample98BI-bad.signed.txt"
XML = "vijrams__digital-signature/src__test__resources__sample.xml"


def review_json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    code = main([*args, "--json", "--as-of", "2026-08-05"])
    return code, json.loads(capsys.readouterr().out)


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    path = tmp_path / "inv.txt"
    lines = (
        fee("1", narrative="Review file"),
        fee(
            "2",
            narrative="Bates label production volume 2",
            classification="PARALG",
            unit_cost="120",
        ),
        expense("3"),
    )
    path.write_text(write([ledes_from_invoice(invoice(*lines))], "1998B"))
    return path


def test_corpus_invoice_json_shape_and_money(
    corpus_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = review_json(capsys, str(corpus_dir / "ledes" / CLEAN))
    assert code == 0 and out["as_of"] == "2026-08-05"
    assert set(out["guidelines"]) == {"name", "version", "sha256"}
    first = out["invoices"][0]
    assert list(first) == [
        "file",
        "invoice_number",
        "law_firm_id",
        "client_matter_id",
        "currency",
        "billed_total",
        "approved_total",
        "flags",
        "skipped_rules",
        "lines",
    ]
    assert (first["invoice_number"], first["currency"], first["billed_total"]) == (
        "96542",
        "USD",
        "1684.45",
    )
    assert [line["line"] for line in first["lines"]] == [3, 4, 5, 6, 7]
    assert {s["rule"] for s in first["skipped_rules"]} >= {
        "over-budget",
        "unapproved-timekeeper",
        "duplicate-invoice",
    }


def test_every_corpus_file_is_reviewed_or_reported_invalid(
    corpus_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = sorted(str(p) for p in (corpus_dir / "ledes").glob("*/*"))
    code, out = review_json(capsys, *files)
    assert code == 1  # the corpus has invalid files
    by_file: dict[str, list[dict]] = {}  # type: ignore[type-arg]
    for entry in out["invoices"]:
        by_file.setdefault(entry["file"], []).append(entry)
    assert set(by_file) == set(files)
    bad = by_file[str(corpus_dir / "ledes" / BAD)][0]
    assert bad["valid"] is False and bad["errors"] and "lines" not in bad
    smime = by_file[str(corpus_dir / "ledes" / SMIME)]
    assert [flag["rule"] for flag in smime[0]["lines"][0]["flags"]][:1] == [
        "line-outside-billing-period"
    ]
    assert by_file[str(corpus_dir / "ledes" / XML)][0]["lines"]


def test_same_inputs_give_byte_identical_json(corpus_dir: Path) -> None:
    args = [
        sys.executable,
        "-m",
        "legalops.cli",
        "review",
        str(corpus_dir / "ledes" / GOOD),
        "--json",
        "--as-of",
        "2026-08-05",
    ]
    first, second = (
        subprocess.run(args, capture_output=True, check=False).stdout for _ in range(2)
    )
    assert first == second and first.startswith(b'{"as_of": "2026-08-05"')


def test_review_does_not_import_django(sample: Path) -> None:
    code = (
        "import sys\nfrom legalops.cli import main\n"
        f"rc = main(['review', {str(sample)!r}, '--json', '--as-of', '2026-03-10'])\n"
        "assert 'django' not in sys.modules, 'django imported'\nsys.exit(rc)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, check=False)
    assert result.returncode == 0, result.stderr


def test_fail_on_exit_codes(sample: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(sample), "--as-of", "2026-03-10"]) == 0
    assert main([str(sample), "--as-of", "2026-03-10", "--fail-on", "reject-line"]) == 1
    assert main([str(sample), "--as-of", "2026-03-10", "--fail-on", "reject-invoice"]) == 0
    capsys.readouterr()


def test_invalid_guidelines_exit_2_naming_file_line_key(
    sample: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "g.toml"
    bad.write_text('[guidelines]\nname = "x"\nversion = "1"\n[rules.long-entry]\nmax_hours = "8"\n')
    assert main([str(sample), "--guidelines", str(bad)]) == 2
    assert f"{bad}:5: rules.long-entry.max_hours: expected a number" in capsys.readouterr().err


def test_invalid_rates_exit_2(
    sample: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "RATES.csv"
    bad.write_text(
        "law_firm_id,timekeeper_id,timekeeper_name,classification,rate,currency,effective_from,effective_to\nF,T,N,PARTNR,-5,USD,2026-01-01,\n"
    )
    assert main([str(sample), "--rates", str(bad)]) == 2
    assert f"{bad}:2: rate: expected a positive decimal" in capsys.readouterr().err


def test_unreadable_file_exit_2_but_others_still_reviewed(
    sample: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = review_json(capsys, str(tmp_path / "missing.txt"), str(sample))
    assert code == 2 and len(out["invoices"]) == 1


def test_rates_and_guidelines_change_the_result(
    sample: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    card = tmp_path / "RATES.csv"
    card.write_text(
        "law_firm_id,timekeeper_id,timekeeper_name,classification,rate,currency,effective_from,effective_to\n"
        '36-1234567,TK1,"Robert Arnsley",PARTNR,250,USD,2026-01-01,\n36-1234567,,,PARALG,120,USD,2026-01-01,\n'  # noqa: E501
    )
    g = tmp_path / "g.toml"
    g.write_text(
        '[guidelines]\nname = "Acme"\nversion = "7"\n[rules.vague-description]\naction = "reduce"\nreduce_percent = 50\n'  # noqa: E501
    )
    _, out = review_json(capsys, str(sample), "--rates", str(card), "--guidelines", str(g))
    first_line = out["invoices"][0]["lines"][0]
    assert [f["rule"] for f in first_line["flags"]] == ["rate-above-approved", "vague-description"]
    assert [f["amount"] for f in first_line["flags"]] == ["-100.00", "-250.00"]
    assert first_line["approved_total"] == "250.00" and out["guidelines"]["version"] == "7"


def test_human_report_groups_by_rule(sample: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main([str(sample), "--as-of", "2026-03-10"])
    text = capsys.readouterr().out
    assert "[clerical-work] 1 flag(s), reject-line, 240.00 USD at stake" in text
    assert "skipped over-budget: no budget data offline" in text


def test_console_script_dispatches_review(sample: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "legalops.cli", "review", str(sample), "--as-of", "2026-03-10"],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
    )
    assert result.returncode == 0 and "invoice INV-1" in result.stdout


PARALLEL_RUN = """
import os, sys
from legalops.guidelines import cli, parallel
parallel.MIN_LINES = 1
parallel.os.cpu_count = lambda: 2
chunk = parallel._run_chunk
def reporting(bounds):
    sys.stderr.write("chunk in %d\\n" % os.getpid())
    sys.stderr.flush()
    return chunk(bounds)
parallel._run_chunk = reporting
sys.stderr.write("parent %d\\n" % os.getpid())
sys.exit(cli.main(sys.argv[1:]))
"""


def run_parallel(args: list[str]) -> subprocess.CompletedProcess[str]:
    """`legalops review ARGS` in a fresh single-threaded process with forked workers."""
    return subprocess.run(
        [sys.executable, "-c", PARALLEL_RUN, *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
        timeout=120,
    )


def test_parallel_review_gives_the_same_bytes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from legalops.guidelines import parallel

    many = [
        invoice(fee("1", narrative="Review file"), fee("2"), invoice_number=f"INV-{n}")
        for n in range(12)
    ]
    path = tmp_path / "many.txt"
    path.write_text(write([ledes_from_invoice(inv) for inv in many], "1998B"))
    args = [str(path), "--json", "--as-of", "2026-03-10"]
    main(args)
    one_process = capsys.readouterr().out
    # Workers are forked, which is only safe from a single-threaded process: run a fresh one
    # (this test process may hold a live server's or a browser driver's threads).
    result = run_parallel(args)
    assert result.returncode == 0, result.stderr
    parent = result.stderr.split("parent ")[1].split()[0]
    chunk_pids = {line.split()[-1] for line in result.stderr.splitlines() if "chunk in" in line}
    assert chunk_pids and parent not in chunk_pids, result.stderr
    assert result.stdout == one_process
    # 24 lines in 5 chunks: about 4 lines (2 invoices) each, contiguous, nothing lost.
    assert parallel._chunks([len(inv.lines) for inv in many], 5) == [
        (i, i + 2) for i in range(0, 12, 2)
    ]


def test_parallel_review_stays_in_process_when_other_threads_run(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A forked child keeps only the forking thread; a lock held by another one would hang it."""
    from legalops.guidelines import parallel

    many = [invoice(fee("1"), invoice_number=f"INV-{n}") for n in range(4)]
    monkeypatch.setattr(parallel, "MIN_LINES", 1)
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(parallel.threading, "active_count", lambda: 2)

    def no_fork() -> int:
        raise AssertionError("forked from a multithreaded process")

    monkeypatch.setattr(parallel.os, "fork", no_fork)
    rendered = parallel.review_all(many, lambda inv: (inv.invoice_number, False))
    assert rendered == [(f"INV-{n}", False) for n in range(4)]


def test_parallel_review_of_an_invalid_file_gives_only_the_validation_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Workers start reviewing before validation ends; an invalid file's review is dropped."""
    many = [invoice(fee("1"), fee("2"), invoice_number=f"INV-{n}") for n in range(12)]
    rows = write([ledes_from_invoice(inv) for inv in many], "1998B").split("\n")
    # Line 7 (INV-2, line item 1): 2.0 h at 300 billed as 999.99; still readable as records.
    fields = rows[6].split("|")
    assert (fields[1], fields[8]) == ("INV-2", "1")
    fields[12] = "999.99"
    rows[6] = "|".join(fields)
    path = tmp_path / "bad.txt"
    path.write_text("\n".join(rows))
    args = [str(path), "--json", "--as-of", "2026-03-10"]
    assert main(args) == 1
    one_process = capsys.readouterr().out
    result = run_parallel(args)
    assert result.returncode == 1, result.stderr
    assert result.stdout == one_process
    (entry,) = json.loads(result.stdout)["invoices"]
    assert entry["valid"] is False and "lines" not in entry
    assert [(e["line"], e["code"]) for e in entry["errors"]][:1] == [(7, "line-total")]


WORKERS_RUN = """
import os, sys, time
from legalops.guidelines import parallel
parallel.MIN_LINES = 1
parallel.os.cpu_count = lambda: 2
case = sys.argv[1]
def render(n):
    if case == "error" and n == 7:
        raise ValueError("cannot read invoice 7")
    if case == "drop":
        time.sleep(30)  # still busy when the review is dropped
    return str(n), n % 2 == 0
def valid():
    return case != "drop"
started = time.monotonic()
try:
    out = parallel.review_all(list(range(40)), render, valid, [1] * 40)
except ValueError as exc:
    out = "raised " + str(exc)
print(out, round(time.monotonic() - started) < 20, os.listdir(parallel.tempfile.gettempdir()))
"""


@pytest.mark.parametrize("case", ["ok", "error", "drop"])
def test_forked_workers_give_results_in_order_raise_a_worker_error_and_are_stopped(
    case: str, tmp_path: Path
) -> None:
    """40 invoices in 8 chunks on 2 forked workers: the results in invoice order; a worker's
    ValueError raised in the parent (the CLI then falls back to validation's report); a
    dropped review does not wait for busy workers. Nothing is left in the temporary folder."""
    result = subprocess.run(
        [sys.executable, "-c", WORKERS_RUN, case],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
        timeout=60,
        env={**os.environ, "TMPDIR": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr
    expected = {
        "ok": str([(str(n), n % 2 == 0) for n in range(40)]),
        "error": "raised cannot read invoice 7",
        "drop": "None",
    }[case]
    assert result.stdout.strip() == f"{expected} True []"


def test_review_all_renders_nothing_when_the_file_is_not_valid(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from legalops.guidelines import parallel

    many = [invoice(fee("1"), invoice_number=f"INV-{n}") for n in range(3)]
    rendered: list[str] = []

    def render(inv: object) -> tuple[str, bool]:
        rendered.append("x")
        return "x", False

    assert parallel.review_all(many, render, lambda: False) is None
    assert rendered == []
    assert parallel.review_all(many, render, lambda: True) == [("x", False)] * 3
