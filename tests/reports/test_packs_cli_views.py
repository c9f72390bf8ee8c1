"""`legalops reports send-packs` and Insight > Scheduled packs: the command sends, dry-runs and
refuses bad input with the documented exit codes; the page lists, creates, edits, pauses,
deletes and sends now (htmx partials), for legal operations only."""

from __future__ import annotations

import io
from typing import Any

import pytest
import time_machine
from django.core.management import CommandError, call_command

from legalops.audit.models import AuditEvent
from legalops.reports.models import ReportSend, ReportSubscription
from legalops.reports.subscriptions import report_subscription_create

# The book's invoices are in January to March 2026; "today" is in April, so March has ended.
TODAY = "2026-04-10T12:00:00+00:00"


@pytest.fixture
def pack(admin: Any, approver: Any) -> ReportSubscription:
    return report_subscription_create(
        actor=admin,
        recipients=[admin, approver],
        name="Board pack",
        pages=["overview"],
        pdf=False,
        xlsx=True,
    )


def run(*args: str) -> str:
    out = io.StringIO()
    with time_machine.travel(TODAY, tick=False):
        call_command("reports", "send-packs", *args, stdout=out)
    return out.getvalue()


def test_the_command_sends_the_previous_month_once(book, pack, mailoutbox):
    out = run()
    assert out.splitlines()[-1] == "2026-03: 2 sent"
    assert {m.subject for m in mailoutbox} == {"Board pack: March 2026"}
    assert run().splitlines()[-1] == "2026-03: 2 unchanged"
    assert len(mailoutbox) == 2


def test_the_command_sends_a_chosen_month_and_subscription(book, pack, admin, mailoutbox):
    other = report_subscription_create(
        actor=admin, recipients=[admin], name="Other", pages=["spend"], pdf=False, xlsx=True
    )
    out = run("--month", "2026-01", "--subscription", str(other.pk))
    assert f"#{other.pk} Other -> ops: sent" in out
    assert [m.subject for m in mailoutbox] == ["Other: January 2026"]


def test_a_dry_run_writes_nothing_and_sends_nothing(book, pack, mailoutbox):
    audit_before = AuditEvent.objects.count()
    out = run("--dry-run", "--month", "2026-02")
    assert f"#{pack.pk} Board pack -> ops: would send (ops@example.com)" in out
    assert out.splitlines()[-1] == "2026-02: dry run, 2 would send"
    assert mailoutbox == [] and not ReportSend.objects.exists()
    assert AuditEvent.objects.count() == audit_before
    pack.refresh_from_db()
    assert pack.last_sent_at is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--month", "2026-04"], "2026-04 has not ended yet"),
        (["--month", "April"], "is not a month"),
        (["--subscription", "999999"], "no subscription 999999"),
    ],
)
def test_bad_input_is_exit_code_2(db, args, message):
    with pytest.raises(CommandError, match=message) as error:
        run(*args)
    assert error.value.returncode == 2


def test_failed_sends_are_exit_code_1(book, pack, mailoutbox, monkeypatch):
    from django.core.mail import EmailMessage

    def refusing(message: Any, *args: Any, **kwargs: Any) -> int:
        raise OSError("no route to the mail server")

    monkeypatch.setattr(EmailMessage, "send", refusing)
    with pytest.raises(CommandError, match="some packs could not be sent") as error:
        run()
    assert error.value.returncode == 1
    assert set(ReportSend.objects.values_list("status", flat=True)) == {"failed"}


# The page


@pytest.mark.parametrize("role", ["attorney", "approver", "requester", "firm_a_user"])
def test_only_legal_operations_open_the_page(request, signed_in, pack, role):
    client = signed_in(request.getfixturevalue(role))
    for url in (
        "/insight/packs/",
        "/insight/packs/new/",
        f"/insight/packs/{pack.pk}/edit/",
    ):
        assert client.get(url).status_code == 403, url
    for url in (f"/insight/packs/{pack.pk}/pause/", f"/insight/packs/{pack.pk}/delete/"):
        assert client.post(url).status_code == 403, url
    assert client.post(f"/insight/packs/{pack.pk}/send/", {"month": "2026-01"}).status_code == 403
    assert ReportSubscription.objects.get(pk=pack.pk).is_active


def test_the_page_lists_packs_and_the_history(signed_in, admin, pack):
    client = signed_in(admin)
    html = client.get("/insight/packs/").content.decode()
    assert "Board pack" in html and "Executive overview" in html and "Excel" in html
    assert 'data-testid="history"' in html and "Nothing sent yet." in html
    dashboard = client.get("/insight/").content.decode()
    assert 'href="/insight/packs/"' in dashboard


def test_the_dashboards_link_the_page_only_for_legal_operations(signed_in, approver):
    assert 'href="/insight/packs/"' not in signed_in(approver).get("/insight/").content.decode()


def test_create_and_edit_through_the_form(signed_in, admin, attorney, firm_a):
    client = signed_in(admin)
    form = client.get("/insight/packs/new/").content.decode()
    assert attorney.username in form and "alice.firm-a" not in form  # firm users not offered
    data = {
        "name": "Litigation monthly",
        "pages": ["overview", "firms"],
        "pdf": "on",
        "period": "year_to_date",
        "recipients": [attorney.pk],
        "firm": firm_a.pk,
        "is_active": "on",
    }
    response = client.post("/insight/packs/new/", data)
    assert response.status_code == 302 and response["Location"] == "/insight/packs/"
    created = ReportSubscription.objects.get(name="Litigation monthly")
    assert (created.pages, created.pdf, created.xlsx, created.period, created.firm) == (
        ["overview", "firms"],
        True,
        False,
        "year_to_date",
        firm_a,
    )
    assert list(created.recipients.all()) == [attorney] and created.created_by == admin
    edit = client.get(f"/insight/packs/{created.pk}/edit/").content.decode()
    assert 'value="Litigation monthly"' in edit
    response = client.post(f"/insight/packs/{created.pk}/edit/", {**data, "xlsx": "on", "pdf": ""})
    created.refresh_from_db()
    assert response.status_code == 302 and (created.pdf, created.xlsx) == (False, True)


def test_the_form_refuses_a_firm_user_and_a_pack_without_files(signed_in, admin, firm_a_user):
    client = signed_in(admin)
    base = {"name": "X", "pages": ["overview"], "period": "month"}
    response = client.post("/insight/packs/new/", {**base, "recipients": [firm_a_user.pk]})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    response = client.post("/insight/packs/new/", {**base, "recipients": [admin.pk]})
    assert "Choose the PDF, the Excel workbook or both." in response.content.decode()
    assert not ReportSubscription.objects.exists()


def test_pause_resume_and_delete_with_htmx(signed_in, admin, pack):
    client = signed_in(admin)
    htmx = {"HTTP_HX_REQUEST": "true"}
    row = client.post(f"/insight/packs/{pack.pk}/pause/", {"active": "0"}, **htmx)
    html = row.content.decode()
    assert html.lstrip().startswith(f'<tr id="pack-{pack.pk}"') and "Resume" in html
    pack.refresh_from_db()
    assert not pack.is_active
    client.post(f"/insight/packs/{pack.pk}/pause/", {"active": "1"}, **htmx)
    pack.refresh_from_db()
    assert pack.is_active
    gone = client.post(f"/insight/packs/{pack.pk}/delete/", **htmx)
    assert gone.status_code == 200 and gone.content == b""
    assert not ReportSubscription.objects.filter(pk=pack.pk).exists()


def test_send_now_sends_and_shows_the_history(signed_in, admin, book, pack, mailoutbox):
    client = signed_in(admin)
    htmx = {"HTTP_HX_REQUEST": "true"}
    with time_machine.travel(TODAY, tick=False):
        response = client.post(f"/insight/packs/{pack.pk}/send/", {"month": "2026-02"}, **htmx)
        html = response.content.decode()
        assert html.lstrip().startswith('<section class="panel" id="history"')
        assert "Board pack, 2026-02: 2 sent." in html and html.count('data-status="sent"') == 2
        assert len(mailoutbox) == 2
        again = client.post(f"/insight/packs/{pack.pk}/send/", {"month": "2026-02"}, **htmx)
        assert "2 unchanged" in again.content.decode() and len(mailoutbox) == 2
        early = client.post(f"/insight/packs/{pack.pk}/send/", {"month": "2026-04"}, **htmx)
        assert "2026-04 has not ended yet" in early.content.decode()
    assert ReportSend.objects.filter(sent_by=admin).count() == 2
