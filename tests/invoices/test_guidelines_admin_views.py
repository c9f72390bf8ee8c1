"""The Guidelines tab (admins only) and the firms' rulebook (portal HTML and PDF): who may open
what, the structured and raw editors with the engine's errors, the diff page, publishing."""

from __future__ import annotations

import datetime
import re
import zlib
from typing import Any

import pytest
import time_machine
from django.urls import reverse
from tests.invoices.guidelines_samples import june_15_2026  # noqa: F401

from legalops.invoices.guidelines_admin import guidelines_draft_create
from legalops.invoices.models import GuidelinesVersion
from legalops.invoices.rulebook import guidelines_load

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("june_15_2026")]

BASE = """[guidelines]
name = "Acme OCG"
version = "2026.1"
effective = 2026-01-01

[rules.daily-hours-cap]
max_hours = 10

[[overrides]]
match = { law_firm_id = "36-1234567" }
rules.daily-hours-cap = { max_hours = 12 }

[[overrides]]
match = { client_matter_id = "LIT-002" }
rules.long-entry = { max_hours = 6 }

[[overrides]]
match = { matter_type = "litigation" }
rules.block-billing = { reduce_percent = 30 }
"""


@pytest.fixture
def published(admin: Any) -> GuidelinesVersion:
    return guidelines_load(actor=admin, data=BASE.encode(), filename="acme.toml")


@pytest.fixture
def draft(admin: Any, published: GuidelinesVersion) -> GuidelinesVersion:
    changed = BASE.replace('version = "2026.1"', 'version = "2026.2"')
    return guidelines_draft_create(actor=admin, data=changed.encode(), filename="next.toml")


def form_of(response: Any) -> dict[str, str]:
    """What the structured form posts back unchanged: its text fields, selected actions and
    checked boxes, read from the page."""
    html = response.content.decode()
    data = dict(
        re.findall(r'<input id="[^"]*" name="([^"]+)" type="(?:text|date)" value="([^"]*)"', html)
    )
    for name, body in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        data[name] = re.search(r'<option value="([^"]+)" selected', body).group(1)  # type: ignore[union-attr]
    for name in re.findall(r'<input type="checkbox" name="([^"]+)"[^>]* checked>', html):
        data[name] = "on"
    return {key: value.replace("&quot;", '"').replace("&amp;", "&") for key, value in data.items()}


STAFF_PAGES = [
    ("invoices:guidelines_list", False),
    ("invoices:guidelines_detail", True),
    ("invoices:guidelines_edit", True),
    ("invoices:guidelines_raw", True),
    ("invoices:guidelines_rulebook", True),
]


@pytest.mark.parametrize("role", ["attorney", "approver", "requester"])
def test_other_staff_roles_cannot_open_the_guidelines_tab(signed_in, personas, draft, role):
    client = signed_in(personas[role])
    for name, with_pk in STAFF_PAGES:
        url = reverse(name, args=[draft.pk] if with_pk else [])
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("invoices:guidelines_new"), {"copy": draft.pk}).status_code == 403
    response = client.post(
        reverse("invoices:guidelines_publish", args=[draft.pk]),
        {"effective": "2026-07-01", "reason": "x"},
    )
    assert response.status_code == 403
    assert GuidelinesVersion.objects.get(pk=draft.pk).status == "draft"


def test_a_firm_user_is_sent_to_the_portal_from_the_staff_pages(signed_in, firm_a_user, draft):
    response = signed_in(firm_a_user).get(reverse("invoices:guidelines_edit", args=[draft.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("portal:home")


def test_the_list_marks_the_version_in_force_and_the_drafts(signed_in, admin, draft, published):
    html = signed_in(admin).get(reverse("invoices:guidelines_list")).content.decode()
    assert re.search(
        rf'data-standing="in force">\s*<td><a href="[^"]+/{published.pk}/">2026.1', html
    )
    assert re.search(rf'data-standing="draft">\s*<td><a href="[^"]+/{draft.pk}/">2026.2', html)


def test_copying_the_version_in_force_opens_the_new_draft(signed_in, admin, published):
    response = signed_in(admin).post(reverse("invoices:guidelines_new"), {"copy": published.pk})
    copy = GuidelinesVersion.objects.get(status="draft")
    assert response["Location"] == reverse("invoices:guidelines_edit", args=[copy.pk])
    assert copy.source == published.source


def test_an_invalid_upload_shows_the_line_and_key(signed_in, admin, published):
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("bad.toml", BASE.replace("max_hours = 10", "max_hours = -1").encode())
    response = signed_in(admin).post(reverse("invoices:guidelines_new"), {"file": bad})
    assert response.status_code == 400
    assert "bad.toml:7: rules.daily-hours-cap.max_hours: expected a number &gt;= 0" in (
        response.content.decode()
    )
    assert not GuidelinesVersion.objects.filter(status="draft").exists()


def test_the_structured_form_changes_a_parameter_and_keeps_the_overrides(signed_in, admin, draft):
    client = signed_in(admin)
    data = form_of(client.get(reverse("invoices:guidelines_edit", args=[draft.pk])))
    assert data["rule.daily-hours-cap.max_hours"] == "10"
    assert data["rule.block-billing.action"] == "reduce"
    data["rule.daily-hours-cap.max_hours"] = "11"
    data["rule.daily-hours-cap.action"] = "reduce"
    del data["rule.long-entry.enabled"]  # unchecked: switched off
    response = client.post(reverse("invoices:guidelines_edit", args=[draft.pk]), data)
    assert response.status_code == 302
    draft.refresh_from_db()
    # Written by hand: only what differs from the shipped defaults, then the overrides.
    assert draft.source == (
        '[guidelines]\nname = "Acme OCG"\nversion = "2026.2"\neffective = 2026-01-01\n\n'
        '[rules.daily-hours-cap]\naction = "reduce"\nmax_hours = 11\n\n'
        "[rules.long-entry]\nenabled = false\n\n"
        '[[overrides]]\nmatch = { law_firm_id = "36-1234567" }\n'
        "rules.daily-hours-cap = { max_hours = 12 }\n\n"
        '[[overrides]]\nmatch = { client_matter_id = "LIT-002" }\n'
        "rules.long-entry = { max_hours = 6 }\n\n"
        '[[overrides]]\nmatch = { matter_type = "litigation" }\n'
        "rules.block-billing = { reduce_percent = 30 }\n"
    )


def test_a_bad_value_in_the_form_is_shown_next_to_its_field(signed_in, admin, draft):
    client = signed_in(admin)
    before = draft.source
    data = form_of(client.get(reverse("invoices:guidelines_edit", args=[draft.pk])))
    data["rule.late-invoice.max_days"] = "ninety"
    data["rule.expense-cap.unit_caps"] = "E101 0.10"
    response = client.post(reverse("invoices:guidelines_edit", args=[draft.pk]), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert re.search(
        r'data-field="rule.late-invoice.max_days"><li>expected a whole number &gt;= 0, got string',
        html,
    )
    assert re.search(r'data-field="rule.expense-cap.unit_caps"><li>expected a table such as', html)
    assert 'value="ninety"' in html  # what was typed stays in the form
    draft.refresh_from_db()
    assert draft.source == before


def test_the_raw_editor_lists_problems_with_line_and_key_then_saves(signed_in, admin, draft):
    client = signed_in(admin)
    url = reverse("invoices:guidelines_raw", args=[draft.pk])
    bad = draft.source.replace("max_hours = 10", 'action = "shout"')
    response = client.post(url, {"source": bad})
    assert response.status_code == 400
    assert (
        "line 7 · <code>rules.daily-hours-cap.action</code>: expected one of warn, hold, "
        "reduce, reject-line, reject-invoice, got &#x27;shout&#x27;"
    ) in response.content.decode()
    good = draft.source.replace("max_hours = 10", "max_hours = 9")
    assert client.post(url, {"source": good}).status_code == 302
    draft.refresh_from_db()
    assert draft.source == good


def test_published_versions_have_no_editor(signed_in, admin, published):
    client = signed_in(admin)
    for name in ("invoices:guidelines_edit", "invoices:guidelines_raw"):
        response = client.post(reverse(name, args=[published.pk]), {"source": "x"})
        assert response["Location"] == reverse("invoices:guidelines_detail", args=[published.pk])
    published.refresh_from_db()
    assert published.source == BASE


def test_the_diff_page_shows_rule_changes_and_the_text_diff(signed_in, admin, published, draft):
    client = signed_in(admin)
    source = draft.source.replace("max_hours = 10", "max_hours = 11")
    client.post(reverse("invoices:guidelines_raw", args=[draft.pk]), {"source": source})
    url = f"{reverse('invoices:guidelines_diff')}?a={published.pk}&b={draft.pk}"
    html = client.get(url).content.decode()
    assert re.search(
        r'<tr data-rule="daily-hours-cap"><td><code>daily-hours-cap</code></td><td>max_hours</td>'
        r'<td class="old">10</td><td class="new">11</td></tr>',
        html,
    )
    assert '<span class="del">-max_hours = 10</span>' in html
    assert '<span class="add">+max_hours = 11</span>' in html


def test_publishing_from_the_page(signed_in, admin, draft):
    client = signed_in(admin)
    url = reverse("invoices:guidelines_publish", args=[draft.pk])
    client.post(url, {"effective": "2026-03-01", "reason": "catch up"})
    assert GuidelinesVersion.objects.get(pk=draft.pk).status == "draft"  # backdate unconfirmed
    client.post(url, {"effective": "2026-07-01", "reason": "cap raised"})
    draft.refresh_from_db()
    assert (draft.status, draft.effective) == ("published", datetime.date(2026, 7, 1))


# --- The firms' rulebook -------------------------------------------------------------------


def rulebook(client: Any, **query: Any) -> Any:
    return client.get(reverse("portal:rulebook"), query)


def test_a_firm_reads_the_version_in_force_with_its_own_overrides(
    signed_in, firm_a_user, published, draft, matter_a, matter_b
):
    html = rulebook(signed_in(firm_a_user)).content.decode()
    assert "Acme OCG</strong>, version 2026.1" in html
    assert "One timekeeper may bill at most 10 hours a day" in html
    assert "For your firm:</strong> One timekeeper may bill at most 12 hours a day" in html
    assert "For litigation matters:</strong>" in html and "reduced by 30%" in html
    assert "LIT-002" not in html  # firm B's matter
    assert "2026.2" not in html  # the draft


def test_firm_b_sees_no_override_of_firm_a(signed_in, firm_b_user, published, matter_a, matter_b):
    html = rulebook(signed_in(firm_b_user)).content.decode()
    assert "36-1234567" not in html and "12 hours" not in html
    assert "For matter LIT-002:</strong> A single time entry may not exceed 6 hours" in html


def test_firms_never_open_a_draft_or_a_superseded_version(signed_in, admin, firm_a_user, draft):
    client = signed_in(firm_a_user)
    assert rulebook(client, version=draft.pk).status_code == 404
    assert client.get(reverse("portal:rulebook_pdf", args=[draft.pk])).status_code == 404
    later = guidelines_draft_create(
        actor=admin, data=BASE.replace("2026.1", "2026.3").encode(), filename="c.toml"
    )
    from legalops.invoices.rulebook import guidelines_publish

    guidelines_publish(
        actor=admin, version=later, effective=datetime.date(2026, 9, 1), reason="next"
    )
    html = rulebook(client, version=later.pk).content.decode()
    assert "version 2026.3, effective 2026-09-01" in html  # upcoming: readable
    with time_machine.travel(datetime.datetime(2026, 10, 1, tzinfo=datetime.UTC)):
        old = GuidelinesVersion.objects.get(version="2026.1", status="published")
        client = signed_in(firm_a_user)  # a new session: the old one expired meanwhile
        assert rulebook(client, version=old.pk).status_code == 404  # superseded
        assert "version 2026.3" in rulebook(client).content.decode()  # now in force


def pdf_text(data: bytes) -> bytes:
    """The PDF's bytes with its compressed streams inflated: WeasyPrint writes each heading
    as a bookmark whose title is plain text there."""
    streams = re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S)
    inflated = []
    for stream in streams:
        try:
            inflated.append(zlib.decompress(stream))
        except zlib.error:
            inflated.append(stream)
    return data + b"".join(inflated)


def test_the_rulebook_pdf_is_a_pdf_with_the_rules(signed_in, firm_a_user, published):
    response = signed_in(firm_a_user).get(reverse("portal:rulebook_pdf", args=[published.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    assert b"Daily hours daily-hours-cap" in text
    assert b"Within budget over-budget" in text


def test_staff_and_firms_of_no_portal_cannot_read_the_portal_rulebook(
    signed_in, attorney, published
):
    response = signed_in(attorney).get(reverse("portal:rulebook"))
    assert response.status_code == 403


def test_admins_preview_any_versions_rulebook_with_every_override(signed_in, admin, draft):
    client = signed_in(admin)
    html = client.get(reverse("invoices:guidelines_rulebook", args=[draft.pk])).content.decode()
    assert "For firm 36-1234567:</strong> One timekeeper may bill at most 12 hours a day" in html
    assert "For matter LIT-002:</strong>" in html
    pdf = client.get(reverse("invoices:guidelines_rulebook_pdf", args=[draft.pk]))
    assert pdf.content.startswith(b"%PDF") and b"No block billing block-billing" in pdf_text(
        pdf.content
    )


def test_a_version_page_offers_to_backtest_it(signed_in, admin, draft):
    html = signed_in(admin).get(reverse("invoices:guidelines_detail", args=[draft.pk]))
    link = f'href="/spend/backtests/new/?version={draft.pk}">Backtest this version'
    assert link in html.content.decode()
    form = signed_in(admin).get(f"/spend/backtests/new/?version={draft.pk}").content.decode()
    assert f'<option value="{draft.pk}" selected' in form
