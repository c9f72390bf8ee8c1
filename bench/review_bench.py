"""Benchmark `legalops review --json` against the plain-splitting baseline (issue 4: at most
15x `python bench/baseline_split.py FILE`, target 8x; whole processes, start-up included).

    python bench/review_bench.py              # 200,000 lines, 5 interleaved runs each
    python bench/review_bench.py --lines 50000 --repeat 1

The input is bench/review_generate.py's deterministic file of distinct narratives. Baseline and
review run interleaved (benchtiming.py: the machine is shared); the ratio is the median of the
per-pair ratios.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
from pathlib import Path

from benchtiming import compare

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    path = OUT / f"review_{args.lines}.txt"
    if not path.exists():
        subprocess.run(
            [sys.executable, str(HERE / "review_generate.py"), str(args.lines), str(path)],
            check=True,
        )
    review = [sys.executable, "-m", "legalops.cli", "review", "--json", "--as-of", "2026-08-05"]
    result = compare(
        [sys.executable, str(HERE / "baseline_split.py"), str(path)],
        review + [str(path)],
        args.repeat,
    )
    print(f"{args.lines:,} lines, {args.repeat} interleaved runs, medians:")
    print(f"  baseline_split.py   {result.baseline_s:7.2f} s")
    print(
        f"  legalops review     {result.command_s:7.2f} s   "
        f"{args.lines / result.command_s:,.0f} lines/s   peak RSS {result.peak_rss_mib:.0f} MiB"
        f"   exit {result.exit_code}"
    )
    print(f"  ratio review / baseline: {result.ratio:.1f}x   (limit 15x, target 8x)")
    print(
        f"  CPU time: baseline {statistics.median(r.cpu for r in result.baseline):.2f} s, "
        f"review {statistics.median(r.cpu for r in result.command):.2f} s "
        f"(all processes), ratio {result.cpu_ratio:.1f}x"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
