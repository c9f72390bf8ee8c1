"""The Spend pillar's Guidelines tab (admins): the versions, new drafts, the structured and raw
editors, the diff between two versions and publishing. Every write is a service of
`guidelines_admin` / `rulebook`; every check of a file is the engine's."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from legalops.accounts.decorators import capability_required, staff_required
from legalops.accounts.permissions import Capability
from legalops.core.typing import AuthedRequest
from legalops.guidelines.config import parse_guidelines
from legalops.guidelines.errors import ConfigError, Problem
from legalops.invoices import guidelines_admin as admin
from legalops.invoices.guidelines_diff import guidelines_diff, version_side
from legalops.invoices.guidelines_toml import (
    RuleFields,
    field_for,
    header_fields,
    rule_fields,
    source_from_form,
)
from legalops.invoices.models import GuidelinesVersion
from legalops.invoices.rulebook import (
    MAX_BYTES,
    guidelines_in_force,
    guidelines_of,
    guidelines_publish,
)

manage = capability_required(Capability.MANAGE_GUIDELINES)


def page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    return render(
        request,
        f"invoices/guidelines/{template}",
        {"active": "spend", "tab": "guidelines", **context},
        status=status,
    )


def _version(request: AuthedRequest, pk: int) -> GuidelinesVersion:
    try:
        return admin.guidelines_version_get(user=request.user, pk=pk)
    except GuidelinesVersion.DoesNotExist:
        raise Http404 from None


def problems_of(source: str, filename: str) -> list[Problem]:
    """The engine's problems with a file ([] when it accepts it)."""
    try:
        parse_guidelines(source.encode("utf-8"), filename)
    except ConfigError as exc:
        return exc.problems
    return []


@staff_required
@manage
def list_view(request: AuthedRequest) -> HttpResponse:
    return page(request, "list.html", _list_context(request))


def _list_context(request: AuthedRequest, **extra: Any) -> dict[str, Any]:
    rows = admin.guidelines_version_list(user=request.user)
    return {"rows": rows, "in_force": guidelines_in_force(timezone.localdate()), **extra}


@staff_required
@manage
@require_POST
def new_view(request: AuthedRequest) -> HttpResponse:
    """A new draft: a copy of a stored version (`copy`), or an uploaded file (`file`)."""
    upload = request.FILES.get("file")
    try:
        if upload is not None:
            if upload.size is not None and upload.size > MAX_BYTES:
                raise ValidationError(
                    f"{upload.name}: a guidelines file is at most {MAX_BYTES} bytes"
                )
            draft = admin.guidelines_draft_create(
                actor=request.user, data=upload.read(), filename=upload.name or "upload.toml"
            )
        else:
            origin = _version(request, int(request.POST.get("copy", "0") or 0))
            draft = admin.guidelines_draft_create(
                actor=request.user,
                data=origin.source.encode("utf-8"),
                filename=f"copy of {origin.version}",
                copied_from=origin,
            )
    except ValidationError as exc:
        context = _list_context(request, upload_errors=exc.messages)
        return page(request, "list.html", context, status=400)
    messages.success(request, f"Draft {draft.version} is ready to edit.")
    return redirect("invoices:guidelines_edit", pk=draft.pk)


@staff_required
@manage
def detail_view(request: AuthedRequest, pk: int) -> HttpResponse:
    version = _version(request, pk)
    rows = {row.version.pk: row for row in admin.guidelines_version_list(user=request.user)}
    today = timezone.localdate()
    in_force = guidelines_in_force(today)
    context = {
        "version": version,
        "row": rows.get(version.pk),
        "in_force": in_force,
        "others": [row.version for row in rows.values() if row.version.pk != version.pk],
        "backtest_url": f"{reverse('backtests:new')}?version={version.pk}",
        "today": today,
        # Suggested date: the file's own, unless it has passed (then tomorrow).
        "publish_on": max(version.effective, today + datetime.timedelta(days=1)),
    }
    return page(request, "detail.html", context)


def draft_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Editors open drafts only: a published version sends back to its page."""

    @wraps(view)
    def wrapped(request: AuthedRequest, pk: int) -> HttpResponse:
        version = _version(request, pk)
        if version.status != GuidelinesVersion.Status.DRAFT:
            messages.error(request, "Published versions never change: copy it into a new draft.")
            return redirect("invoices:guidelines_detail", pk=pk)
        return view(request, version)

    return wrapped


@staff_required
@manage
@draft_only
def edit_view(request: AuthedRequest, draft: GuidelinesVersion) -> HttpResponse:
    """The structured editor: every catalogue rule with its action and parameters."""
    posted = request.POST if request.method == "POST" else None
    errors: dict[str, list[str]] = {}
    if posted is not None:
        source = source_from_form(posted, draft.source)
        for problem in problems_of(source, "form"):
            errors.setdefault(field_for(problem), []).append(problem.message)
        if not errors and _saved(request, draft, source, "form"):
            return redirect("invoices:guidelines_detail", pk=draft.pk)
    guidelines = guidelines_of(draft)
    header = header_fields(guidelines, draft.source, posted)
    context = {
        "version": draft,
        "header": [(k, v, errors.get(f"guidelines.{k}", [])) for k, v in header.items()],
        "rules": [_with_errors(row, errors) for row in rule_fields(guidelines, posted)],
        "form_errors": errors.get("", []),
    }
    return page(request, "edit.html", context, status=400 if errors else 200)


def _with_errors(row: RuleFields, errors: dict[str, list[str]]) -> dict[str, Any]:
    """One rule's row with the engine's messages beside the fields they are about."""
    prefix = f"rule.{row.rule_id}"
    action = [*errors.get(f"{prefix}.enabled", []), *errors.get(f"{prefix}.action", [])]
    params = [(field, errors.get(field.name, [])) for field in row.params]
    return {
        "rule": row,
        "action_errors": action,
        "params": params,
        "errors": bool(action) or any(errs for _, errs in params),
    }


def _saved(request: AuthedRequest, draft: GuidelinesVersion, source: str, via: str) -> bool:
    try:
        admin.guidelines_draft_save(actor=request.user, version=draft, source=source, via=via)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return False
    messages.success(request, "Draft saved.")
    return True


@staff_required
@manage
@draft_only
def raw_view(request: AuthedRequest, draft: GuidelinesVersion) -> HttpResponse:
    """The raw TOML editor, for power users; problems listed with their line and key."""
    source, problems = draft.source, []
    if request.method == "POST":
        source = request.POST.get("source", "").replace("\r\n", "\n")
        problems = problems_of(source, "guidelines.toml")
        if not problems and _saved(request, draft, source, "raw"):
            return redirect("invoices:guidelines_detail", pk=draft.pk)
    context = {"version": draft, "source": source, "problems": problems}
    return page(request, "raw.html", context, status=400 if problems else 200)


@staff_required
@manage
def diff_view(request: AuthedRequest) -> HttpResponse:
    """Two versions side by side: `a` (older) and `b` (newer); b defaults to a's successor."""
    a = _version(request, _int(request.GET.get("a")))
    b = _version(request, _int(request.GET.get("b")))
    diff = guidelines_diff(version_side(a), version_side(b))
    versions = [row.version for row in admin.guidelines_version_list(user=request.user)]
    return page(request, "diff.html", {"a": a, "b": b, "diff": diff, "versions": versions})


def _int(value: str | None) -> int:
    return int(value) if value and value.isdigit() else 0


@staff_required
@manage
@require_POST
def publish_view(request: AuthedRequest, pk: int) -> HttpResponse:
    version = _version(request, pk)
    try:
        effective = datetime.date.fromisoformat(request.POST.get("effective", ""))
    except ValueError:
        messages.error(request, "Effective date: enter a date such as 2026-07-01.")
        return HttpResponseRedirect(reverse("invoices:guidelines_detail", args=[pk]))
    try:
        guidelines_publish(
            actor=request.user,
            version=version,
            effective=effective,
            reason=request.POST.get("reason", ""),
            backdate=request.POST.get("backdate") == "on",
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"Published {version.version}, effective {effective}.")
    return redirect("invoices:guidelines_detail", pk=pk)
