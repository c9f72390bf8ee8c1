"""Shared fixtures. Kept free of module-level Django imports so the pure-library tests
(`tests/ledes`, `tests/guidelines`) also run with `-p no:django`."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent


def _corpus_dir() -> Path:
    configured = os.environ.get("LEGALOPS_CORPUS_DIR")
    return Path(configured) if configured else REPO_ROOT.parent / "shared" / "corpus"


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """The public corpus (real LEDES files, CUAD contracts). CI sets LEGALOPS_REQUIRE_CORPUS=1
    so that a missing corpus fails instead of silently skipping."""
    path = _corpus_dir()
    if not path.is_dir():
        if os.environ.get("LEGALOPS_REQUIRE_CORPUS") == "1":
            pytest.fail(f"corpus directory {path} is missing (LEGALOPS_CORPUS_DIR)")
        pytest.skip(f"corpus directory {path} not found; set LEGALOPS_CORPUS_DIR")
    return path
