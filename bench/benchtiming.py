"""Timing whole processes on a shared, noisy machine (used by ledes_bench.py and
review_bench.py).

Other processes come and go while a benchmark runs, so the command and its baseline are run
*interleaved* (baseline, command, baseline, command, ...): each pair sees about the same load,
and the median of the per-pair ratios is far steadier than a ratio of two separately taken
medians. Peak resident memory and CPU time come from wait4's rusage of each process.
"""

from __future__ import annotations

import os
import statistics
import subprocess
from dataclasses import dataclass

# Measure as installed: byte-code caching on (an installed package has its .pyc files; some
# shells here set PYTHONDONTWRITEBYTECODE, which would make every run compile legalops from
# source). A warm-up run writes the caches before timing.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


@dataclass(frozen=True)
class Run:
    seconds: float
    rss_kib: int
    exit_code: int
    cpu: float  # user + system seconds of the process and the workers it waited for


@dataclass(frozen=True)
class Comparison:
    baseline: list[Run]
    command: list[Run]

    @property
    def baseline_s(self) -> float:
        return statistics.median(r.seconds for r in self.baseline)

    @property
    def command_s(self) -> float:
        return statistics.median(r.seconds for r in self.command)

    @property
    def ratio(self) -> float:
        """Median of the per-pair ratios (each pair ran back to back, under similar load)."""
        return statistics.median(
            c.seconds / b.seconds for b, c in zip(self.baseline, self.command, strict=True)
        )

    @property
    def cpu_ratio(self) -> float:
        """Median per-pair ratio of CPU time: what the work costs, whatever the load (a
        parallel run spends more CPU than its wall time)."""
        return statistics.median(
            c.cpu / b.cpu for b, c in zip(self.baseline, self.command, strict=True)
        )

    @property
    def peak_rss_mib(self) -> float:
        return max(r.rss_kib for r in self.command) / 1024

    @property
    def exit_code(self) -> int:
        return self.command[-1].exit_code


def run_once(cmd: list[str]) -> Run:
    """Wall time, peak RSS and exit code of one whole process (output discarded)."""
    import time

    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    cpu = usage.ru_utime + usage.ru_stime
    return Run(elapsed, usage.ru_maxrss, os.waitstatus_to_exitcode(status), cpu)


def compare(baseline: list[str], command: list[str], repeat: int) -> Comparison:
    """`repeat` interleaved runs of each, after one warm-up run of each."""
    run_once(baseline)
    run_once(command)
    base_runs, runs = [], []
    for _ in range(repeat):
        base_runs.append(run_once(baseline))
        runs.append(run_once(command))
    return Comparison(base_runs, runs)
