"""Guidelines management for admins: drafts (copied from a version or uploaded), saving a
draft's new content, and the list of versions with where each stands today.

Publishing is `rulebook.guidelines_publish`. A draft is valid exactly when the engine accepts it
(`rulebook.parse_version_source`); published versions never change.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from legalops.accounts.models import User
from legalops.accounts.permissions import Capability, require
from legalops.audit.events import Event
from legalops.audit.services import audit_record
from legalops.invoices.models import GuidelinesVersion
from legalops.invoices.rulebook import guidelines_in_force, parse_dated_source, store_version

Status = GuidelinesVersion.Status
DRAFT, IN_FORCE, SCHEDULED, SUPERSEDED = "draft", "in force", "scheduled", "superseded"


@transaction.atomic
def guidelines_draft_create(
    *,
    actor: User | None,
    data: bytes,
    filename: str,
    copied_from: GuidelinesVersion | None = None,
) -> GuidelinesVersion:
    """A new draft from a file's bytes (an upload, or a copy of a stored version). A draft with
    exactly these bytes already open is returned instead of a second one."""
    require(actor, Capability.MANAGE_GUIDELINES)
    parsed = parse_dated_source(data, filename)
    existing = GuidelinesVersion.objects.filter(sha256=parsed.sha256, status=Status.DRAFT).first()
    if existing is not None:
        return existing
    assert parsed.effective is not None
    draft = store_version(parsed, data, Status.DRAFT, actor, parsed.effective)
    origin = {"copied_from": copied_from.pk} if copied_from else {"uploaded": filename}
    audit_record(
        actor=actor,
        event=Event.GUIDELINES_DRAFT_CREATED,
        target=draft,
        payload={"new": {"version": parsed.version, "sha256": parsed.sha256, **origin}},
    )
    return draft


@transaction.atomic
def guidelines_draft_save(
    *, actor: User | None, version: GuidelinesVersion, source: str, via: str = "raw"
) -> GuidelinesVersion:
    """Replaces a draft's file with new content the engine accepts (`via`: the structured form
    or the raw editor, for the audit trail)."""
    require(actor, Capability.MANAGE_GUIDELINES)
    draft = GuidelinesVersion.objects.select_for_update().get(pk=version.pk)
    if draft.status != Status.DRAFT:
        raise ValidationError("published versions never change: copy it into a new draft")
    parsed = parse_dated_source(source.encode("utf-8"), f"{draft.name} {draft.version}")
    if parsed.sha256 == draft.sha256:
        return draft
    twin = GuidelinesVersion.objects.filter(sha256=parsed.sha256, status=Status.DRAFT).first()
    if twin is not None:
        raise ValidationError(f"draft {twin.version} (#{twin.pk}) already has exactly this content")
    old = {"version": draft.version, "effective": str(draft.effective), "sha256": draft.sha256}
    assert parsed.effective is not None
    draft.source, draft.sha256 = source, parsed.sha256
    draft.name, draft.version, draft.effective = parsed.name, parsed.version, parsed.effective
    draft.save(update_fields=["source", "sha256", "name", "version", "effective"])
    new = {"version": draft.version, "effective": str(draft.effective), "sha256": draft.sha256}
    audit_record(
        actor=actor,
        event=Event.GUIDELINES_DRAFT_SAVED,
        target=draft,
        payload={"old": old, "new": new, "via": via},
    )
    return draft


# --- Reads ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class VersionRow:
    version: GuidelinesVersion
    standing: str  # draft | in force | scheduled | superseded
    until: datetime.date | None  # last day in force, when a later published version follows


def guidelines_version_list(*, user: User, today: datetime.date | None = None) -> list[VersionRow]:
    """Every stored version for those who manage guidelines, with where it stands today."""
    require(user, Capability.MANAGE_GUIDELINES)
    return _rows(GuidelinesVersion.objects.select_related("created_by"), today)


def guidelines_version_get(*, user: User, pk: int) -> GuidelinesVersion:
    require(user, Capability.MANAGE_GUIDELINES)
    return GuidelinesVersion.objects.select_related("created_by").get(pk=pk)


def published_for_firms(*, today: datetime.date | None = None) -> list[VersionRow]:
    """What firms may read: the version in force today and the published ones still to come
    (never drafts, never superseded ones)."""
    rows = _rows(GuidelinesVersion.objects.filter(status=Status.PUBLISHED), today)
    return [row for row in rows if row.standing in (IN_FORCE, SCHEDULED)]


def _rows(versions: QuerySet[GuidelinesVersion], today: datetime.date | None) -> list[VersionRow]:
    day = today or timezone.localdate()
    in_force = guidelines_in_force(day)  # creates the shipped defaults' row on first need
    stored = list(versions)
    starts = sorted({v.effective for v in stored if v.status == Status.PUBLISHED})
    rows = [VersionRow(v, _standing(v, in_force, day), _until(v, starts)) for v in stored]
    # Drafts first, then the published ones, latest effective date first.
    rows.sort(
        key=lambda r: (r.version.status == Status.DRAFT, r.version.effective, r.version.created_at),
        reverse=True,
    )
    return rows


def _standing(version: GuidelinesVersion, in_force: GuidelinesVersion, day: datetime.date) -> str:
    if version.status == Status.DRAFT:
        return DRAFT
    if version.pk == in_force.pk:
        return IN_FORCE
    return SCHEDULED if version.effective > day else SUPERSEDED


def _until(version: GuidelinesVersion, starts: list[datetime.date]) -> datetime.date | None:
    if version.status == Status.DRAFT:
        return None
    later = [start for start in starts if start > version.effective]
    return later[0] - datetime.timedelta(days=1) if later else None
