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
from legalops.invoices.guidelines_toml import with_effective
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


def parse_dated_source(data: bytes, filename: str) -> Guidelines:
    """As `parse_version_source`, for a file to store: a stored version needs its date."""
    parsed = parse_version_source(data, filename)
    if parsed.effective is None:
        raise ValidationError(f"{filename}: [guidelines] needs an `effective` date")
    return parsed


def store_version(
    parsed: Guidelines, data: bytes, status: str, actor: User | None, effective: datetime.date
) -> GuidelinesVersion:
    published = status == GuidelinesVersion.Status.PUBLISHED
    return GuidelinesVersion.objects.create(
        name=parsed.name,
        version=parsed.version,
        effective=effective,
        sha256=parsed.sha256,
        source=data.decode("utf-8"),
        status=status,
        created_by=actor,
        published_at=timezone.now() if published else None,
    )


@transaction.atomic
def guidelines_load(
    *, actor: User | None, data: bytes, filename: str, publish: bool = True
) -> GuidelinesVersion:
    """Validates a guidelines file and stores it as a new version (earlier ones are kept).
    Loading the same bytes again returns the stored version; publishing a different file on a
    day another published version already takes effect is refused, as in the UI."""
    require(actor, Capability.MANAGE_GUIDELINES)
    parsed = parse_dated_source(data, filename)
    assert parsed.effective is not None
    status = GuidelinesVersion.Status.PUBLISHED if publish else GuidelinesVersion.Status.DRAFT
    existing = GuidelinesVersion.objects.filter(sha256=parsed.sha256, status=status).first()
    if existing is not None:
        return existing
    if publish:
        _check_no_clash(parsed.effective)
    version = store_version(parsed, data, status, actor, parsed.effective)
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
def guidelines_publish(
    *,
    actor: User | None,
    version: GuidelinesVersion,
    effective: datetime.date | None = None,
    reason: str,
    backdate: bool = False,
) -> GuidelinesVersion:
    """Publishes a draft from `effective` on (written into the file's header, so that the
    download and `legalops review` read the same date). Two published versions never share an
    effective date; a date before today needs `backdate=True` (docs/guidelines-admin.md)."""
    require(actor, Capability.MANAGE_GUIDELINES)
    version = GuidelinesVersion.objects.select_for_update().get(pk=version.pk)
    if version.status == GuidelinesVersion.Status.PUBLISHED:
        raise ValidationError("this version is already published; published versions never change")
    if not reason.strip():
        raise ValidationError("say why this version is published (the reason is audited)")
    day = effective or version.effective
    source = with_effective(version.source, day) if day != version.effective else version.source
    parsed = parse_version_source(source.encode("utf-8"), f"{version.name} {version.version}")
    _check_publish_date(day, backdate)
    if GuidelinesVersion.objects.filter(sha256=parsed.sha256, status="published").exists():
        raise ValidationError("this exact file is already published")
    replaced = guidelines_in_force(day)
    version.source, version.sha256, version.effective = source, parsed.sha256, day
    version.status = GuidelinesVersion.Status.PUBLISHED
    version.published_at = timezone.now()
    version.save(update_fields=["source", "sha256", "effective", "status", "published_at"])
    audit_record(
        actor=actor,
        event=Event.GUIDELINES_PUBLISHED,
        target=version,
        reason=reason.strip(),
        payload={
            "effective": str(day),
            "sha256": parsed.sha256,
            "backdated": day < timezone.localdate(),
            "replaces": {"id": replaced.pk, "version": replaced.version},
        },
    )
    return version


def _check_no_clash(day: datetime.date) -> None:
    clash = GuidelinesVersion.objects.filter(status="published", effective=day).first()
    if clash is not None:
        raise ValidationError(
            f"{clash.name} {clash.version} already takes effect on {day}: two published "
            "versions never share a day, choose another date"
        )


def _check_publish_date(day: datetime.date, backdate: bool) -> None:
    _check_no_clash(day)
    if day < timezone.localdate() and not backdate:
        raise ValidationError(
            f"{day} is in the past: invoices reviewed from now on whose billing period ends on "
            "or after it will use this version (reviews already done keep theirs); confirm "
            "backdating to publish it"
        )


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
    version = store_version(parsed, data, "published", None, SHIPPED_EFFECTIVE)
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
