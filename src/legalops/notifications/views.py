"""The notification list (opening one marks it read) and the email preferences. Every signed-in
user has them, staff and firm users alike; each sees only their own."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from legalops.core.htmx import template_for
from legalops.core.listing import filter_bar, listing
from legalops.core.typing import AuthedRequest
from legalops.notifications import selectors, services
from legalops.notifications.models import Kind

SORTS = {"created": "created_at", "kind": "kind", "title": "title"}
STATUS = [("unread", "Unread"), ("read", "Read")]


def notification_list_view(request: AuthedRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    rows = selectors.notification_list(
        user=request.user, kind=request.GET.get("kind", ""), unread=status == "unread"
    )
    if status == "read":
        rows = rows.filter(read_at__isnull=False)
    context = {
        "listing": listing(request, rows, sorts=SORTS, default="-created"),
        "filters": filter_bar(
            request,
            [("kind", "Kind", "select", Kind.choices), ("status", "Status", "select", STATUS)],
        ),
        "unread": selectors.unread_count(request.user),
        "portal_active": "notifications",
    }
    return render(request, template_for(request, "notifications/list.html"), context)


def notification_open_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """Marks the notification read and follows its link (GET: it is the user's own state)."""
    notification = get_object_or_404(selectors.notification_list(user=request.user), pk=pk)
    services.notification_read(actor=request.user, notification=notification)
    target = notification.url
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notifications:list")


@require_POST
def notification_read_all_view(request: AuthedRequest) -> HttpResponse:
    count = services.notifications_read_all(actor=request.user)
    messages.success(request, f"{count} notification(s) marked read.")
    return redirect("notifications:list")


class PreferencesForm(forms.Form):
    email = forms.MultipleChoiceField(
        choices=Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Send me an email when",
    )


def preferences_view(request: AuthedRequest) -> HttpResponse:
    current = [k for k, on in selectors.email_preferences(request.user).items() if on]
    form = PreferencesForm(request.POST or None, initial={"email": current})
    if request.method == "POST" and form.is_valid():
        services.email_preferences_set(actor=request.user, email_kinds=form.cleaned_data["email"])
        messages.success(request, "Email preferences saved.")
        return redirect("notifications:preferences")
    return render(
        request,
        "notifications/preferences.html",
        {"form": form, "portal_active": "notifications"},
    )
