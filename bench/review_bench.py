"""Benchmark `legalops review --json` against the plain-splitting baseline (issue 4: at most
15x `python bench/baseline_split.py FILE`, target 8x; whole processes, start-up included).

    python bench/review_bench.py              # 200,000 lines, 3 runs each, medians
    python bench/review_bench.py --lines 50000 --runs 1

The input is bench/review_generate.py's deterministic file of distinct narratives.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"


def timed(command: list[str], runs: int) -> float:
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, check=False)
        seconds.append(time.perf_counter() - start)
    return statistics.median(seconds)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    path = OUT / f"review_{args.lines}.txt"
    if not path.exists():
        subprocess.run(
            [sys.executable, str(HERE / "review_generate.py"), str(args.lines), str(path)],
            check=True,
        )
    baseline = timed([sys.executable, str(HERE / "baseline_split.py"), str(path)], args.runs)
    review = timed(
        [
            sys.executable,
            "-m",
            "legalops.cli",
            "review",
            "--json",
            "--as-of",
            "2026-08-05",
            str(path),
        ],
        args.runs,
    )
    print(f"{args.lines} lines, median of {args.runs} run(s)")
    print(f"baseline_split.py   {baseline:7.2f} s")
    print(f"legalops review     {review:7.2f} s   {args.lines / review:,.0f} lines/s")
    print(f"ratio               {review / baseline:7.1f}x   (limit 15x, target 8x)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
