"""Stored versions of the billing guidelines: load, publish, and find the one in force.

The file is kept byte for byte; the engine (`legalops.guidelines`) parses and validates it, so
the platform and `legalops review` can never disagree about what a file means.
"""

from __future__ import annotations

import datetime
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from legalops.accounts.models import User
from legalops.accounts.permissions import Capability, require
from legalops.audit.events import Event
from legalops.audit.services import audit_record
from legalops.guidelines.config import DEFAULT_FILE, Guidelines, parse_guidelines
from legalops.guidelines.errors import ConfigError
from legalops.invoices.models import GuidelinesVersion

# Before any version is published, the shipped defaults apply from this date on.
SHIPPED_EFFECTIVE = datetime.date(2000, 1, 1)
MAX_BYTES = 1024 * 1024


def parse_version_source(data: bytes, filename: str) -> Guidelines:
    """The engine's reading of a guidelines file; its problems as a ValidationError that
    names the line and key."""
    if len(data) > MAX_BYTES:
        raise ValidationError(f"{filename}: a guidelines file is at most {MAX_BYTES} bytes")
    try:
        return parse_guidelines(data, filename)
    except ConfigError as exc:
        raise ValidationError([str(problem) for problem in exc.problems]) from None


@lru_cache(maxsize=32)
def _parsed(sha256: str, source: str) -> Guidelines:
    return parse_guidelines(source.encode("utf-8"), f"guidelines {sha256[:12]}")


def guidelines_of(version: GuidelinesVersion) -> Guidelines:
    """The parsed guidelines of a stored version (cached by content hash)."""
    return _parsed(version.sha256, version.source)


@transaction.atomic
def guidelines_load(
    *, actor: User | None, data: bytes, filename: str, publish: bool = True
) -> GuidelinesVersion:
    """Validates a guidelines file and stores it as a new version (earlier ones are kept).
    Loading the same bytes again returns the stored version."""
    require(actor, Capability.MANAGE_GUIDELINES)
    parsed = parse_version_source(data, filename)
    if parsed.effective is None:
        raise ValidationError(f"{filename}: [guidelines] needs an `effective` date")
    status = GuidelinesVersion.Status.PUBLISHED if publish else GuidelinesVersion.Status.DRAFT
    existing = GuidelinesVersion.objects.filter(sha256=parsed.sha256, status=status).first()
    if existing is not None:
        return existing
    version = GuidelinesVersion.objects.create(
        name=parsed.name,
        version=parsed.version,
        effective=parsed.effective,
        sha256=parsed.sha256,
        source=data.decode("utf-8"),
        status=status,
        created_by=actor,
        published_at=timezone.now() if publish else None,
    )
    audit_record(
        actor=actor,
        event=Event.GUIDELINES_LOADED,
        target=version,
        payload={
            "new": {
                "version": parsed.version,
                "effective": str(parsed.effective),
                "sha256": parsed.sha256,
                "status": status,
            }
        },
    )
    return version


@transaction.atomic
def guidelines_publish(*, actor: User | None, version: GuidelinesVersion) -> GuidelinesVersion:
    require(actor, Capability.MANAGE_GUIDELINES)
    if version.status == GuidelinesVersion.Status.PUBLISHED:
        return version
    if GuidelinesVersion.objects.filter(sha256=version.sha256, status="published").exists():
        raise ValidationError("this exact file is already published")
    version.status = GuidelinesVersion.Status.PUBLISHED
    version.published_at = timezone.now()
    version.save(update_fields=["status", "published_at"])
    audit_record(
        actor=actor,
        event=Event.GUIDELINES_PUBLISHED,
        target=version,
        payload={"effective": str(version.effective)},
    )
    return version


@transaction.atomic
def shipped_version() -> GuidelinesVersion:
    """The shipped defaults as a stored, published version, created on first need so that
    every flag points at the exact rules that produced it."""
    with open(DEFAULT_FILE, "rb") as handle:
        data = handle.read()
    parsed = parse_version_source(data, "default.toml")
    existing = GuidelinesVersion.objects.filter(sha256=parsed.sha256, status="published").first()
    if existing is not None:
        return existing
    version = GuidelinesVersion.objects.create(
        name=parsed.name,
        version=parsed.version,
        effective=SHIPPED_EFFECTIVE,
        sha256=parsed.sha256,
        source=data.decode("utf-8"),
        status="published",
        published_at=timezone.now(),
    )
    audit_record(
        actor=None,
        event=Event.GUIDELINES_LOADED,
        target=version,
        payload={"new": {"version": parsed.version, "shipped": True}},
    )
    return version


def guidelines_in_force(day: datetime.date | None) -> GuidelinesVersion:
    """The published version whose `effective` date is the latest on or before `day` (the
    invoice's billing end date); the shipped defaults when none is."""
    published = GuidelinesVersion.objects.filter(status="published")
    if day is not None:
        found = published.filter(effective__lte=day).order_by("-effective", "-published_at")
        version = found.first()
        if version is not None:
            return version
    return shipped_version()
