"""Benchmark `legalops ledes validate` against the plain-splitting baseline (issue 3).

    python bench/ledes_bench.py            # 200k-line timing + peak RSS at 100k and 1M lines
    python bench/ledes_bench.py --quick    # 200k timing only

Generates the inputs deterministically into bench/out/ (git-ignored), times each whole process
(start-up included) several times and reports the median, the ratio to the baseline, lines per
second, and the peak resident memory of each process (from wait4's rusage).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

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


# Measure as installed: with byte-code caching on (an installed package has its .pyc files;
# some shells here set PYTHONDONTWRITEBYTECODE, which would make every run compile
# legalops from source). A warm-up run writes the caches before timing.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run_once(cmd: list[str]) -> tuple[float, int, int]:
    """Wall time (s), peak RSS (KiB) and exit code of one whole process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return elapsed, usage.ru_maxrss, proc.returncode


def measure(cmd: list[str], repeat: int) -> tuple[float, int, int]:
    run_once(cmd)  # warm-up: byte-code and page caches
    runs = [run_once(cmd) for _ in range(repeat)]
    return (statistics.median(r[0] for r in runs), max(r[1] for r in runs), runs[-1][2])


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="skip the 100k/1M memory runs")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    path = ensure_file(200_000)
    base, base_rss, _ = measure(BASELINE + [str(path)], args.repeat)
    ours, our_rss, code = measure(VALIDATE + [str(path)], args.repeat)
    print(f"200,000 lines ({path.stat().st_size / 1e6:.1f} MB), median of {args.repeat}:")
    print(
        f"  baseline_split.py     {base:6.3f} s  {200_000 / base:>9,.0f} lines/s  "
        f"peak RSS {base_rss / 1024:6.1f} MiB"
    )
    print(
        f"  legalops ledes validate {ours:4.3f} s  {200_000 / ours:>9,.0f} lines/s  "
        f"peak RSS {our_rss / 1024:6.1f} MiB  exit {code}"
    )
    print(f"  ratio validate / baseline: {ours / base:.2f}x (target 3x, limit 5x)")
    if not args.quick:
        for lines in (100_000, 1_000_000):
            big = ensure_file(lines)
            t, rss, code = measure(VALIDATE + [str(big)], 1)
            print(
                f"  {lines:>9,} lines: validate {t:6.2f} s, peak RSS {rss / 1024:6.1f} MiB, "
                f"exit {code}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
