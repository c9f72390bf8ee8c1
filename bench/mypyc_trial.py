"""Build a mypyc-compiled copy of the review engine, to measure it against the pure-Python one.

    python bench/mypyc_trial.py OUT                 # legalops.guidelines compiled
    python bench/mypyc_trial.py OUT --with-ledes    # and legalops.ledes (but api.py, source.py)
    PYTHONPATH=OUT python -m legalops.cli review --json FILE     # runs the compiled copy
    PYTHONPATH=OUT python bench/review_bench.py --lines 200000   # benchmarks it

OUT receives a copy of src/legalops with one C extension per compiled module beside its source
(Python imports an extension before a .py of the same name) and the shared library that holds
the compiled code. Nothing is written into src/. mypyc ships with mypy (a pinned dev
dependency); gcc and the Python headers must be installed. setuptools is not needed: mypyc's
C generation is driven directly and gcc is run here, so nothing is downloaded.

The measured result (docs/guidelines.md §7, 2026-11-28) is 1.3-1.5x less CPU, short of
what issue 4's limit needs; this script is kept so that the measurement can be repeated.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import sysconfig
import time
import types
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"
GROUP = "legalops_native"  # the shared library is the top-level module legalops_native__mypyc
# mypyc cannot compile these: a subclass of io.RawIOBase (api.py) and a string literal with a
# surrogate code point (source.py). They stay Python and call into the compiled modules.
NOT_COMPILED = {"legalops/ledes/api.py", "legalops/ledes/source.py"}


def _without_distutils() -> None:
    """mypyc.build imports distutils (from setuptools on Python 3.12) at import time, and uses
    it only to drive setuptools, which this script does not do. A stand-in lets it import."""
    if "distutils" in sys.modules:
        return
    ccompiler = types.ModuleType("distutils.ccompiler")
    ccompiler.CCompiler = type("CCompiler", (), {"spawn": None})  # type: ignore[attr-defined]
    distutils = types.ModuleType("distutils")
    distutils.ccompiler = ccompiler  # type: ignore[attr-defined]
    distutils.sysconfig = sysconfig  # type: ignore[attr-defined]
    sys.modules.update(
        {"distutils": distutils, "distutils.ccompiler": ccompiler, "distutils.sysconfig": sysconfig}
    )


def modules(root: Path, with_ledes: bool) -> list[str]:
    packages = ["legalops/guidelines"] + (["legalops/ledes"] if with_ledes else [])
    found = []
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            relative = path.relative_to(root).as_posix()
            if relative in NOT_COMPILED or relative == f"{package}/__init__.py":
                continue
            found.append(relative)
    return found


def build(out: Path, with_ledes: bool) -> None:
    _without_distutils()
    from mypyc.build import (
        generate_c_extension_shim,
        get_cflags,
        include_dir,
        mypyc_build,
    )
    from mypyc.common import shared_lib_name
    from mypyc.options import CompilerOptions

    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(
        SRC / "legalops", out / "legalops", ignore=shutil.ignore_patterns("__pycache__")
    )
    work = out / "_c"
    started = time.monotonic()
    options = CompilerOptions(target_dir=str(work), group_name=GROUP)
    paths = modules(out, with_ledes)
    # mypy runs from OUT, so module names come out as legalops.*; the project's mypy settings
    # (Django plugin) are not needed to compile the pure libraries.
    cwd = Path.cwd()
    os.chdir(out)
    try:
        groups, cfiles, _ = mypyc_build(["--ignore-missing-imports", *paths], options)
    finally:
        os.chdir(cwd)
    generated = time.monotonic()
    (sources, lib), (c_files, _) = groups[0], cfiles[0]
    assert lib is not None
    cc = (sysconfig.get_config_var("CC") or "gcc").split()
    suffix = sysconfig.get_config_var("EXT_SUFFIX")
    include = sysconfig.get_paths()["include"]
    common = [*cc, "-shared", "-fPIC", "-DNDEBUG", "-I", include]
    library = out / f"{shared_lib_name(lib)}{suffix}"
    # The C files are named under target_dir, which is absolute here.
    subprocess.run(
        [*common, *get_cflags(compiler_type="unix"), "-I", include_dir(), "-I", str(work)]
        + [*c_files, "-o", str(library)],
        check=True,
    )
    for source in sources:
        name = source.module.rsplit(".", 1)[-1]
        shim = generate_c_extension_shim(source.module, name, str(work), lib)
        assert source.path is not None  # relative to OUT
        stem = Path(source.path).with_suffix("")  # legalops/x/y or legalops/x/__init__
        subprocess.run([*common, "-O2", shim, "-o", str(out / f"{stem}{suffix}")], check=True)
    print(
        f"{len(sources)} modules compiled into {out}: C generated in {generated - started:.0f} s, "
        f"compiled in {time.monotonic() - generated:.0f} s (wall)"
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--with-ledes", action="store_true")
    args = parser.parse_args(argv)
    build(args.out.resolve(), args.with_ledes)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
