"""Time `legalops seed` (and `legalops demo --no-serve`) on a fresh embedded database.

    python bench/seed_bench.py [--scales small,medium,large]

Each run uses a new temporary data directory; PostgreSQL runs when DATABASE_URL is set (the
database is flushed first). Reports wall time and peak RSS of the whole process.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time


def run(args: list[str], data_dir: str) -> tuple[float, float]:
    env = {**os.environ, "LEGALOPS_DATA_DIR": data_dir}
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "legalops.cli", *args],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    elapsed = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, peak_kb / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scales", default="small,medium,large")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        elapsed, peak = run(["demo", "--no-serve"], data_dir)
        print(f"demo --no-serve (fresh, small): {elapsed:6.2f}s  peak RSS {peak:6.0f} MB")
    for scale in options.scales.split(","):
        with tempfile.TemporaryDirectory() as data_dir:
            if os.environ.get("DATABASE_URL"):
                run(["flush", "--no-input"], data_dir)
            run(["migrate", "--verbosity", "0"], data_dir)
            elapsed, peak = run(["seed", "--scale", scale, "--seed", "1"], data_dir)
            print(f"seed --scale {scale:<6}: {elapsed:6.2f}s  peak RSS {peak:6.0f} MB")


if __name__ == "__main__":
    main()
