# ruff: noqa: F811 - pytest fixtures imported from tests/invoices/spend_fixtures.py
"""The reviewer's invoice page: what it shows, each decision through htmx with the totals
updated out-of-band, the lifecycle buttons, paging and rule filters, constant queries."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from tests.invoices.spend_fixtures import (  # noqa: F401
    BILLED,
    approver_sees,
    flagged,
    guidelines,
    long_file,
    outsider,
)

from legalops.audit.models import AuditEvent
from legalops.invoices.models import Adjustment, Flag, State

HTMX = {"HTTP_HX_REQUEST": "true"}


def detail(client, invoice, **params):
    return client.get(f"/spend/invoices/{invoice.pk}/", params)


def flag_of(invoice, rule):
    return Flag.objects.get(invoice=invoice, rule=rule)


def totals(html):
    """billed, adjusted, approved as shown in the totals block."""
    return [
        re.search(rf'data-testid="total-{k}">([^<]+)<', html).group(1)
        for k in ("billed", "adjusted", "approved")
    ]


def test_the_page_shows_header_totals_rules_lines_and_history(client, admin, flagged):
    client.force_login(admin)
    html = detail(client, flagged).content.decode()
    assert "Hale &amp; Whitmore LLP" in html and "LIT-001" in html
    assert "2026-11-01 – 2026-11-30" in html
    assert "Northwind Outside Counsel Guidelines 2026.1" in html
    assert totals(html) == ["2,270.00 USD", "-1,000.00 USD", "1,270.00 USD"]
    chips = re.search(r'data-testid="rule-chips">(.*?)</nav>', html, re.S).group(1)
    assert 'data-rule="block-billing"' in chips and "-1,000.00 USD" in chips
    assert 'data-rule="vague-description"' in chips
    assert html.count('data-testid="line"') == 3
    assert "3 distinct tasks under one time value" in html
    assert "Received → <strong>In review</strong>" in html
    assert "invoice.received" in html and "invoice.reviewed" in html


def test_overriding_a_flag_over_htmx_changes_the_line_and_the_totals(client, attorney, flagged):
    client.force_login(attorney)
    block = flag_of(flagged, "block-billing")
    url = f"/spend/flags/{block.pk}/decide/"
    refused = client.post(url, {"decision": "override", "reason_code": "agreed"}, **HTMX)
    assert "needs a reason code and a comment" in refused.content.decode()
    flagged.refresh_from_db()
    assert flagged.approved_minor == BILLED - 100000  # nothing changed

    response = client.post(
        url,
        {"decision": "override", "reason_code": "agreed", "comment": "itemised in timesheet"},
        **HTMX,
    )
    html = response.content.decode()
    assert html.lstrip().startswith(f'<tbody id="line-{block.line_id}"')
    assert 'id="totals" class="totals" hx-swap-oob="true"' in html
    assert totals(html) == ["2,270.00 USD", "0.00 USD", "2,270.00 USD"]
    assert "overridden" in html and "itemised in timesheet" in html
    block.refresh_from_db()
    assert block.status == "overridden" and block.decided_by == attorney


def test_accepting_the_hold_clears_it(client, admin, flagged):
    client.force_login(admin)
    vague = flag_of(flagged, "vague-description")
    html = client.post(
        f"/spend/flags/{vague.pk}/decide/", {"decision": "accept"}, **HTMX
    ).content.decode()
    assert 'data-testid="open-holds"' not in html
    flagged.refresh_from_db()
    assert flagged.open_holds == 0


def test_a_manual_adjustment_and_its_withdrawal_move_the_totals(client, admin, flagged):
    client.force_login(admin)
    expense = flagged.lines.get(index=2)
    url = f"/spend/lines/{expense.pk}/adjust/"
    html = client.post(
        url, {"approved": "100.00", "reason_code": "expense", "comment": "cap"}, **HTMX
    ).content.decode()
    assert totals(html) == ["2,270.00 USD", "-1,020.00 USD", "1,250.00 USD"]
    assert 'data-testid="manual-adjustment"' in html
    too_much = client.post(url, {"approved": "500", "reason_code": "expense"}, **HTMX)
    assert "between 0 and 120.00" in too_much.content.decode()
    no_reason = client.post(url, {"approved": "90"}, **HTMX)
    assert "reason_code: This field is required." in no_reason.content.decode()
    manual = Adjustment.objects.get(line=expense, flag__isnull=True)
    html = client.post(f"/spend/adjustments/{manual.pk}/withdraw/", **HTMX).content.decode()
    assert totals(html) == ["2,270.00 USD", "-1,000.00 USD", "1,270.00 USD"]


def test_without_htmx_a_decision_comes_back_to_the_page(client, admin, flagged):
    client.force_login(admin)
    block = flag_of(flagged, "block-billing")
    response = client.post(f"/spend/flags/{block.pk}/decide/", {"decision": "override"})
    assert response.status_code == 302
    assert response.url == f"/spend/invoices/{flagged.pk}/#line-{block.line_id}"
    page = client.get(response.url)
    assert "needs a reason code and a comment" in page.content.decode()


def test_the_lifecycle_buttons_go_through_the_services(client, admin, flagged):
    client.force_login(admin)
    base = f"/spend/invoices/{flagged.pk}"
    blocked = client.post(f"{base}/submit/", follow=True).content.decode()
    assert "1 hold flag(s) must be cleared first" in blocked
    client.post(f"{base}/hold/", {"comment": ""})
    flagged.refresh_from_db()
    assert flagged.state == State.IN_REVIEW  # a hold needs a reason
    client.post(f"{base}/hold/", {"comment": "waiting for the timesheet"})
    flagged.refresh_from_db()
    assert flagged.state == State.ON_HOLD
    client.post(f"{base}/release/")
    vague = flag_of(flagged, "vague-description")
    client.post(f"/spend/flags/{vague.pk}/decide/", {"decision": "accept"})
    done = client.post(f"{base}/submit/", {"comment": "ok"}, follow=True).content.decode()
    assert "Submitted for approval." in done
    flagged.refresh_from_db()
    assert flagged.state == State.PENDING_APPROVAL
    steps = list(flagged.transitions.values_list("to_state", flat=True))
    assert steps == ["in_review", "on_hold", "in_review", "pending_approval"]


def test_reject_needs_a_reason_code_and_a_comment_then_void(client, admin, flagged):
    client.force_login(admin)
    base = f"/spend/invoices/{flagged.pk}"
    page = client.post(f"{base}/reject/", {"reason_code": "billing-error"}, follow=True)
    assert "comment: This field is required." in page.content.decode()
    client.post(f"{base}/reject/", {"reason_code": "billing-error", "comment": "no codes"})
    flagged.refresh_from_db()
    assert flagged.state == State.REJECTED
    change = flagged.transitions.get(to_state="rejected")
    assert (change.reason_code, change.comment, change.actor) == (
        "billing-error",
        "no codes",
        admin,
    )
    client.post(f"{base}/void/", {"comment": "sent twice"})
    flagged.refresh_from_db()
    assert flagged.state == State.VOIDED


def test_review_again_restores_the_review_and_records_it(client, admin, flagged):
    client.force_login(admin)
    client.post(
        f"/spend/flags/{flag_of(flagged, 'block-billing').pk}/decide/",
        {"decision": "override", "reason_code": "agreed", "comment": "fine"},
    )
    client.post(f"/spend/invoices/{flagged.pk}/rereview/")
    flagged.refresh_from_db()
    assert flagged.approved_minor == BILLED - 100000
    assert flag_of(flagged, "block-billing").status == "proposed"
    assert AuditEvent.objects.filter(event_type="invoice.reviewed").count() == 2


def test_long_invoices_page_their_lines_and_filter_by_rule(client, admin, intake, flagged):
    invoice = intake(long_file("LONG-1", 120)).received[0]
    client.force_login(admin)
    first = detail(client, invoice).content.decode()
    assert first.count('data-testid="line"') == 50
    assert "Lines 1–50 of 120" in first
    third = detail(client, invoice, page=3).content.decode()
    assert third.count('data-testid="line"') == 20
    blocked = detail(client, invoice, rule="block-billing").content.decode()
    assert blocked.count('data-testid="line"') == 12  # lines 1, 11, 21 ... 111
    assert all(n in blocked for n in ('data-line="1"', 'data-line="111"'))
    partial = client.get(
        f"/spend/invoices/{invoice.pk}/", {"rule": "block-billing"}, HTTP_HX_TARGET="lines", **HTMX
    ).content.decode()
    assert partial.lstrip().startswith('<div id="lines">')
    assert "History" not in partial


def test_the_page_makes_the_same_number_of_queries_whatever_the_invoice_size(
    client, admin, intake, flagged
):
    small = intake(long_file("SMALL-1", 60)).received[0]
    large = intake(long_file("LARGE-1", 400)).received[0]
    client.force_login(admin)
    counts = []
    for invoice in (small, large):
        with CaptureQueriesContext(connection) as queries:
            assert detail(client, invoice).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    assert counts[0] <= 30, counts  # the page and the approval, appeal and AP panels


def test_approvers_read_what_is_routed_to_them_and_decide_nothing_here(
    client, approver, approver_sees, flagged
):
    client.force_login(approver)
    assert detail(client, flagged).status_code == 404
    approver_sees(flagged)
    html = detail(client, flagged).content.decode()
    assert "Submit for approval" not in html and "Override" not in html
    block = flag_of(flagged, "block-billing")
    response = client.post(f"/spend/flags/{block.pk}/decide/", {"decision": "accept"}, **HTMX)
    assert response.status_code == 403
    block.refresh_from_db()
    assert block.status == "proposed"


def test_the_original_file_downloads_byte_for_byte(client, attorney, flagged):
    client.force_login(attorney)
    response = client.get(f"/spend/invoices/{flagged.pk}/files/original")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == flagged.file.content.open("rb").read()
    assert response["Content-Disposition"].startswith("attachment;")


@pytest.mark.parametrize("who", ["outsider", "firm_b_user", "requester"])
def test_others_cannot_open_act_on_or_download_the_invoice(client, request, who, flagged):
    user = request.getfixturevalue(who)
    client.force_login(user)
    block = flag_of(flagged, "block-billing")
    pages = [
        f"/spend/invoices/{flagged.pk}/",
        f"/spend/invoices/{flagged.pk}/files/original",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code in (302, 403, 404), url
        if response.status_code == 302:
            assert response.url == "/portal/"  # firm users live in the portal
    posts = [
        (f"/spend/flags/{block.pk}/decide/", {"decision": "accept"}),
        (f"/spend/invoices/{flagged.pk}/submit/", {}),
        (f"/spend/invoices/{flagged.pk}/void/", {"comment": "x"}),
        (f"/spend/lines/{block.line_id}/adjust/", {"approved": "0", "reason_code": "other"}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code in (302, 403, 404), url
    flagged.refresh_from_db()
    block.refresh_from_db()
    assert (flagged.state, flagged.approved_minor, block.status) == (
        State.IN_REVIEW,
        BILLED - 100000,
        "proposed",
    )


def test_a_flag_on_the_whole_invoice_is_decided_in_its_panel(client, admin, intake, flagged):
    from tests.invoices.builders import Bill, Expense, ledes

    late = Expense("80.00", "E110", "Court reporter for the June hearing", "20260610")
    bill = Bill("OLD-1", "LIT-001", lines=[late], date="20260705", start="20260601", end="20260630")
    invoice = intake(ledes(bill)).received[0]
    flag = Flag.objects.get(invoice=invoice, rule="late-invoice")
    assert flag.line is None and invoice.open_holds == 1
    client.force_login(admin)
    page = detail(client, invoice).content.decode()
    panel = re.search(r'<div id="invoice-flags"(.*?)</div>\n', page, re.S).group(0)
    assert "late-invoice" in panel and "hidden" not in panel.split(">")[0]
    html = client.post(
        f"/spend/flags/{flag.pk}/decide/",
        {"decision": "override", "reason_code": "other", "comment": "agreed extension"},
        **HTMX,
    ).content.decode()
    assert html.lstrip().startswith('<div id="invoice-flags"')
    assert 'hx-swap-oob="true"' in html and 'data-testid="open-holds"' not in html
    invoice.refresh_from_db()
    assert invoice.open_holds == 0


def test_only_legal_ops_see_the_void_button(client, admin, attorney, flagged):
    client.force_login(attorney)
    assert "Void invoice" not in detail(client, flagged).content.decode()
    assert client.post(f"/spend/invoices/{flagged.pk}/void/", {"comment": "x"}).status_code == 403
    client.force_login(admin)
    assert "Void invoice" in detail(client, flagged).content.decode()
