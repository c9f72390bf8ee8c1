"""Guidelines management over the REST API, for legal-ops admins (MANAGE_GUIDELINES): the
versions with where each stands today, a version's file, drafts (create from a file, replace
its content), publishing with an effective date, and the diff of two versions. The same
services as the UI (`guidelines_admin`, `rulebook`), so the rules are the same: published
versions never change, two never share an effective date, backdating must be confirmed, and a
file the engine refuses is refused with its line and key."""

from __future__ import annotations

import datetime
from typing import Any

from ninja import Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from legalops.accounts.permissions import Capability, require
from legalops.core.schemas import ERRORS
from legalops.core.typing import ApiRequest
from legalops.invoices import guidelines_admin as admin
from legalops.invoices.guidelines_diff import guidelines_diff, version_side
from legalops.invoices.rulebook import guidelines_publish

router = Router(tags=["guidelines"])


class VersionOut(Schema):
    id: int
    name: str
    version: str
    effective: datetime.date
    status: str  # draft | published
    standing: str  # draft | in force | scheduled | superseded
    until: datetime.date | None  # last day in force, when a later published version follows
    sha256: str
    created_at: datetime.datetime
    published_at: datetime.datetime | None


class VersionDetailOut(VersionOut):
    source: str  # the TOML file, byte for byte as stored


class DraftIn(Schema):
    source: str
    filename: str = "guidelines.toml"


class DraftSaveIn(Schema):
    source: str


class PublishIn(Schema):
    reason: str
    effective: datetime.date | None = None  # default: the file's own `effective`
    backdate: bool = False


class ChangeOut(Schema):
    what: str
    old: str
    new: str


class RuleDiffOut(Schema):
    rule_id: str
    changes: list[ChangeOut]


class OverrideDiffOut(Schema):
    match: str
    status: str  # added | removed | changed
    rules: list[RuleDiffOut]


class DiffOut(Schema):
    old: int
    new: int
    empty: bool
    header: list[ChangeOut]
    rules: list[RuleDiffOut]
    overrides: list[OverrideDiffOut]
    text: list[str]  # the unified diff of the two files


def _out(row: admin.VersionRow, *, source: bool = False) -> dict[str, Any]:
    v = row.version
    out = {
        "id": v.pk,
        "name": v.name,
        "version": v.version,
        "effective": v.effective,
        "status": v.status,
        "standing": row.standing,
        "until": row.until,
        "sha256": v.sha256,
        "created_at": v.created_at,
        "published_at": v.published_at,
    }
    return {**out, "source": v.source} if source else out


def _row(request: ApiRequest, pk: int) -> admin.VersionRow:
    """The version with its standing today (404 when there is no such version)."""
    version = admin.guidelines_version_get(user=request.auth, pk=pk)
    rows = admin.guidelines_version_list(user=request.auth)
    return next(row for row in rows if row.version.pk == version.pk)


@router.get("/guidelines/versions", response={200: list[VersionOut], **ERRORS})
@paginate(LimitOffsetPagination)
def versions_list(request: ApiRequest) -> list[dict[str, Any]]:
    """Drafts first, then the published versions, latest effective date first."""
    return [_out(row) for row in admin.guidelines_version_list(user=request.auth)]


@router.get("/guidelines/versions/{version_id}", response={200: VersionDetailOut, **ERRORS})
def version_get(request: ApiRequest, version_id: int) -> dict[str, Any]:
    return _out(_row(request, version_id), source=True)


@router.post("/guidelines/versions", response={201: VersionDetailOut, **ERRORS})
def draft_create(request: ApiRequest, body: DraftIn) -> Status[dict[str, Any]]:
    """A new draft from a guidelines file (the same bytes as an open draft: that draft)."""
    draft = admin.guidelines_draft_create(
        actor=request.auth, data=body.source.encode("utf-8"), filename=body.filename
    )
    return Status(201, _out(_row(request, draft.pk), source=True))


@router.put("/guidelines/versions/{version_id}", response={200: VersionDetailOut, **ERRORS})
def draft_save(request: ApiRequest, version_id: int, body: DraftSaveIn) -> dict[str, Any]:
    """Replaces a draft's file (published versions never change: 422)."""
    version = admin.guidelines_version_get(user=request.auth, pk=version_id)
    admin.guidelines_draft_save(actor=request.auth, version=version, source=body.source, via="api")
    return _out(_row(request, version_id), source=True)


@router.post(
    "/guidelines/versions/{version_id}/publish", response={200: VersionDetailOut, **ERRORS}
)
def version_publish(request: ApiRequest, version_id: int, body: PublishIn) -> dict[str, Any]:
    """Publishes a draft from `effective` on (written into the file); the reason is audited."""
    version = admin.guidelines_version_get(user=request.auth, pk=version_id)
    guidelines_publish(
        actor=request.auth,
        version=version,
        effective=body.effective,
        reason=body.reason,
        backdate=body.backdate,
    )
    return _out(_row(request, version_id), source=True)


@router.get("/guidelines/diff", response={200: DiffOut, **ERRORS})
def versions_diff(request: ApiRequest, old: int, new: int) -> dict[str, Any]:
    """What changed from version `old` to version `new`, as the engine reads them (defaults
    merged in): header fields, rules, overrides, and the unified diff of the files."""
    require(request.auth, Capability.MANAGE_GUIDELINES)
    a = admin.guidelines_version_get(user=request.auth, pk=old)
    b = admin.guidelines_version_get(user=request.auth, pk=new)
    diff = guidelines_diff(version_side(a), version_side(b))

    def rules(items: Any) -> list[dict[str, Any]]:
        return [{"rule_id": r.rule_id, "changes": list(r.changes)} for r in items]

    return {
        "old": a.pk,
        "new": b.pk,
        "empty": diff.empty,
        "header": diff.header,
        "rules": rules(diff.rules),
        "overrides": [
            {"match": o.match, "status": o.status, "rules": rules(o.changes)}
            for o in diff.overrides
        ],
        "text": diff.text,
    }
