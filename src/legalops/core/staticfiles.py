"""Collecting static files only when they changed.

`collectstatic` with a manifest storage hashes and compresses every file on every run (seconds
on an idle machine, minutes on a busy one), so `legalops serve` compares a fingerprint of the
source files (path, size, modification time) with the one stored at the last collection.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.finders import get_finders
from django.core.management import call_command

FINGERPRINT = ".legalops-fingerprint"


def source_fingerprint() -> str:
    digest = hashlib.sha256()
    entries = []
    for finder in get_finders():
        for path, storage in finder.list([]):
            stat = Path(storage.path(path)).stat()
            entries.append(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}")
    for entry in sorted(entries):
        digest.update(entry.encode())
    return digest.hexdigest()


def collect_if_changed() -> bool:
    """Runs collectstatic when the sources differ from the last collection; True if it ran."""
    marker = Path(settings.STATIC_ROOT) / FINGERPRINT
    current = source_fingerprint()
    if marker.exists() and marker.read_text() == current:
        return False
    call_command("collectstatic", interactive=False, verbosity=0)
    marker.write_text(current)
    return True
