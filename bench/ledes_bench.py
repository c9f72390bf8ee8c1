"""Benchmark `legalops ledes validate` against the plain-splitting baseline (issue 3).

    python bench/ledes_bench.py            # 200k-line timing + peak RSS at 100k and 1M lines
    python bench/ledes_bench.py --quick    # 200k timing only

Generates the inputs deterministically into bench/out/ (git-ignored), runs the baseline and
the validator interleaved several times (benchtiming.py: the machine is shared) and reports the
medians, the median per-pair ratio, lines per second, and each process's peak resident memory.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
from pathlib import Path

from benchtiming import compare, run_once

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
PYTHON = sys.executable
VALIDATE = [PYTHON, "-m", "legalops.cli", "ledes", "validate"]
BASELINE = [PYTHON, str(HERE / "baseline_split.py")]


def ensure_file(lines: int) -> Path:
    path = OUT / f"ledes_{lines}.txt"
    if not path.exists():
        subprocess.run([PYTHON, str(HERE / "ledes_generate.py"), str(lines), str(path)], check=True)
    return path


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="skip the 100k/1M memory runs")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args(argv)
    path = ensure_file(200_000)
    result = compare(BASELINE + [str(path)], VALIDATE + [str(path)], args.repeat)
    base, ours = result.baseline_s, result.command_s
    base_rss = max(r.rss_kib for r in result.baseline) / 1024
    print(f"200,000 lines ({path.stat().st_size / 1e6:.1f} MB), {args.repeat} interleaved runs:")
    print(
        f"  baseline_split.py       {base:6.3f} s  {200_000 / base:>9,.0f} lines/s  "
        f"peak RSS {base_rss:6.1f} MiB"
    )
    print(
        f"  legalops ledes validate {ours:6.3f} s  {200_000 / ours:>9,.0f} lines/s  "
        f"peak RSS {result.peak_rss_mib:6.1f} MiB  exit {result.exit_code}"
    )
    print(f"  ratio validate / baseline: {result.ratio:.2f}x (target 3x, limit 5x)")
    print(
        f"  CPU time: baseline {statistics.median(r.cpu for r in result.baseline):.2f} s, "
        f"validate {statistics.median(r.cpu for r in result.command):.2f} s, "
        f"ratio {result.cpu_ratio:.2f}x"
    )
    if not args.quick:
        for lines in (100_000, 1_000_000):
            run = run_once(VALIDATE + [str(ensure_file(lines))])
            print(
                f"  {lines:>9,} lines: validate {run.seconds:6.2f} s, "
                f"peak RSS {run.rss_kib / 1024:6.1f} MiB, exit {run.exit_code}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
