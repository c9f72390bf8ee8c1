# ruff: noqa: F811 - pytest fixtures imported from tests/invoices/spend_fixtures.py
"""The invoices API: intake (multipart and raw body) with its report, the pre-flight, lists,
one invoice, its lines, the original file, and the reviewer's decisions; who may do what."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from tests.invoices.spend_fixtures import (  # noqa: F401
    BILLED,
    approver_sees,
    firm_b_invoice,
    flagged,
    flagged_file,
    guidelines,
    long_file,
    outsider,
)

from legalops.invoices.models import Flag, Invoice, InvoiceFile, State


def auth(token):
    return {"authorization": f"Bearer {token}"}


def get(client, path, token, **params):
    return client.get(f"/api/v1{path}", params, headers=auth(token))


def post(client, path, token, body=None):
    return client.post(
        f"/api/v1{path}", body or {}, content_type="application/json", headers=auth(token)
    )


def raw(client, token, data, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return client.post(
        f"/api/v1/invoices?{query}", data, content_type="text/plain", headers=auth(token)
    )


def assert_error_shape(response, status):
    assert response.status_code == status, response.content
    body = response.json()
    assert {"detail", "errors"} <= set(body)
    for error in body["errors"]:
        assert set(error) == {"loc", "msg", "code"}
    return body


def test_a_multipart_upload_returns_the_intake_report(
    client, api_token, firm_a_user, matter_a, rate_card, guidelines
):
    token = api_token(firm_a_user)
    data = flagged_file("INV-60")
    response = client.post(
        "/api/v1/invoices", {"file": SimpleUploadedFile("nov.txt", data)}, headers=auth(token)
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["file"], body["format"], body["accepted"]) == ("nov.txt", "1998B", True)
    [invoice] = body["invoices"]
    assert invoice["status"] == "received" and invoice["state"] == "in_review"
    assert invoice["billed_total"] == "2270.00" and invoice["flags"] == 2
    stored = Invoice.objects.get(pk=invoice["id"])
    assert stored.source == "api" and stored.file.content.open("rb").read() == data


def test_a_raw_body_upload_then_a_duplicate(client, api_token, admin, matter_a, rate_card):
    token = api_token(admin)
    data = flagged_file("INV-61")
    first = raw(client, token, data, filename="dec.txt")
    assert first.status_code == 201 and first.json()["file"] == "dec.txt"
    again = raw(client, token, data)
    assert again.status_code == 200
    assert [i["status"] for i in again.json()["invoices"]] == ["duplicate"]
    assert Invoice.objects.count() == 1


def test_a_refused_file_is_a_422_with_the_report_and_writes_nothing(
    client, api_token, admin, matter_a
):
    token = api_token(admin)
    invalid = assert_error_shape(raw(client, token, b"LEDES1998B[]\nINVOICE_DATE[]\n"), 422)
    assert invalid["accepted"] is False and invalid["ledes_errors"]
    assert any(e["loc"][0] == "file" and e["loc"][1] == 2 for e in invalid["errors"])
    unknown = assert_error_shape(raw(client, token, flagged_file("X-1", matter="NOPE-3")), 422)
    assert unknown["errors"] == [
        {
            "loc": ["invoices", 0, "X-1"],
            "msg": "unknown matter: CLIENT_MATTER_ID 'NOPE-3'",
            "code": "rejected",
        }
    ]
    assert not Invoice.objects.exists() and not InvoiceFile.objects.exists()
    empty = assert_error_shape(raw(client, token, b""), 400)
    assert "multipart field `file`" in empty["detail"]


def test_only_legal_ops_create_missing_firms_and_matters(
    client, api_token, admin, firm_a_user, guidelines
):
    data = flagged_file("INV-62", matter="NEW-8")
    refused = raw(client, api_token(firm_a_user), data, create_missing="true")
    assert_error_shape(refused, 403)
    created = raw(client, api_token(admin), data, create_missing="true")
    assert created.status_code == 201


def test_requesters_and_approvers_cannot_send_invoices(
    client, api_token, requester, approver, matter_a
):
    for user in (requester, approver):
        assert_error_shape(raw(client, api_token(user), flagged_file("INV-63")), 403)
    assert not Invoice.objects.exists()


def test_the_pre_flight_endpoint_reviews_and_writes_nothing(
    client, api_token, firm_a_user, matter_a, rate_card, guidelines
):
    token = api_token(firm_a_user)
    response = client.post(
        "/api/v1/invoices/preflight?filename=nov.txt",
        flagged_file("INV-64"),
        content_type="text/plain",
        headers=auth(token),
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["would_accept"] is True
    [invoice] = body["invoices"]
    assert (invoice["billed_total"], invoice["approved_total"], invoice["at_stake"]) == (
        "2270.00",
        "1270.00",
        "1000.00",
    )
    assert invoice["guidelines"]["version"] == "2026.1"
    rules = [(f["rule"], f["amount"], f["line_item_number"]) for f in invoice["flags"]]
    assert ("block-billing", "-1000.00", "1") in rules
    assert ("vague-description", "0.00", "2") in rules
    assert not Invoice.objects.exists() and not InvoiceFile.objects.exists()


def test_lists_are_scoped_filtered_and_paginated(
    client, api_token, admin, firm_a_user, firm_b_user, requester, flagged, firm_b_invoice
):
    everything = get(client, "/invoices", api_token(admin)).json()
    assert everything["count"] == 2
    newest = get(client, "/invoices", api_token(admin), limit=1).json()["items"]
    assert [i["invoice_number"] for i in newest] == ["B-100"]
    assert get(client, "/invoices", api_token(admin), flags="holds").json()["count"] == 1
    assert get(client, "/invoices", api_token(admin), q="LIT-002").json()["count"] == 1
    firm_a = get(client, "/invoices", api_token(firm_a_user)).json()
    assert [i["invoice_number"] for i in firm_a["items"]] == ["INV-5"]
    assert firm_a["items"][0]["approved_total"] is None  # not decided yet
    firm_b = get(client, "/invoices", api_token(firm_b_user)).json()
    assert [i["invoice_number"] for i in firm_b["items"]] == ["B-100"]
    assert_error_shape(get(client, "/invoices", api_token(requester)), 403)


def test_one_invoice_is_the_show_json_plus_more(client, api_token, attorney, flagged):
    body = get(client, f"/invoices/{flagged.pk}", api_token(attorney)).json()
    assert body["invoice_number"] == "INV-5" and body["state"] == "in_review"
    assert (body["billed_total"], body["approved_total"]) == ("2270.00", "1270.00")
    assert [line["line_item_number"] for line in body["lines"]] == ["1", "2", "3"]
    assert body["lines"][0]["flags"][0]["rule"] == "block-billing"
    assert body["guidelines"]["version"] == "2026.1"
    assert body["transitions"][0]["to"] == "in_review"
    assert body["files"]["original"] == "invoice.txt"
    assert body["id"] == flagged.pk and body["billed_fees"] == "2150.00"


def test_lines_come_paginated_with_their_flags(client, api_token, admin, intake, flagged):
    long = intake(long_file("LONG-2", 30)).received[0]
    token = api_token(admin)
    page = get(client, f"/invoices/{long.pk}/lines", token, limit=10, offset=10).json()
    assert page["count"] == 30
    assert [line["line_item_number"] for line in page["items"]] == [str(n) for n in range(11, 21)]
    assert page["items"][0]["flags"][0]["rule"] == "block-billing"  # line 11
    flagged_only = get(client, f"/invoices/{long.pk}/lines", token, rule="block-billing").json()
    assert flagged_only["count"] == 3


def test_the_original_file_downloads_for_those_who_see_the_invoice(
    client, api_token, firm_a_user, firm_b_user, requester, outsider, flagged
):
    url = f"/api/v1/invoices/{flagged.pk}/file"
    ok = client.get(url, headers=auth(api_token(firm_a_user)))
    assert ok.status_code == 200
    assert b"".join(ok.streaming_content) == flagged.file.content.open("rb").read()
    for user, status in ((firm_b_user, 404), (outsider, 404), (requester, 404)):
        response = client.get(url, headers=auth(api_token(user)))
        assert response.status_code == status, user


def test_decisions_move_the_totals(client, api_token, attorney, flagged):
    token = api_token(attorney)
    block = Flag.objects.get(invoice=flagged, rule="block-billing")
    path = f"/invoices/{flagged.pk}/flags/{block.pk}/decision"
    refused = assert_error_shape(post(client, path, token, {"decision": "override"}), 422)
    assert "needs a reason code and a comment" in refused["errors"][0]["msg"]
    done = post(
        client, path, token, {"decision": "override", "reason_code": "agreed", "comment": "ok"}
    ).json()
    assert done["flag"]["status"] == "overridden"
    assert done["invoice"]["approved_total"] == "2270.00"
    line = flagged.lines.get(index=2)
    added = post(
        client,
        f"/invoices/{flagged.pk}/adjustments",
        token,
        {"line_id": line.pk, "approved": "100.00", "reason_code": "expense", "comment": "cap"},
    )
    assert added.status_code == 201
    assert added.json()["invoice"]["approved_total"] == "2250.00"
    withdrawn = post(
        client,
        f"/invoices/{flagged.pk}/adjustments/{added.json()['adjustment']['id']}/withdraw",
        token,
    ).json()
    assert withdrawn["invoice"]["approved_total"] == "2270.00"
    assert withdrawn["adjustment"]["withdrawn_at"] is not None


def test_the_lifecycle_over_the_api(client, api_token, admin, flagged):
    token = api_token(admin)
    base = f"/invoices/{flagged.pk}"
    blocked = assert_error_shape(post(client, f"{base}/submit", token), 422)
    assert "hold flag" in blocked["errors"][0]["msg"]
    assert post(client, f"{base}/hold", token, {"comment": "ask"}).json()["state"] == "on_hold"
    assert post(client, f"{base}/release", token).json()["state"] == "in_review"
    vague = Flag.objects.get(invoice=flagged, rule="vague-description")
    post(client, f"{base}/flags/{vague.pk}/decision", token, {"decision": "accept"})
    assert post(client, f"{base}/submit", token).json()["state"] == "pending_approval"
    assert_error_shape(post(client, f"{base}/reject", token, {"reason_code": "x"}), 422)
    rejected = post(client, f"{base}/reject", token, {"reason_code": "other", "comment": "no"})
    assert rejected.json()["state"] == "rejected"
    assert post(client, f"{base}/void", token, {"comment": "dup"}).json()["state"] == "voided"


@pytest.mark.parametrize("who", ["firm_a_user", "firm_b_user", "outsider", "requester"])
def test_those_who_do_not_review_the_matter_cannot_decide(client, api_token, request, who, flagged):
    token = api_token(request.getfixturevalue(who))
    block = Flag.objects.get(invoice=flagged, rule="block-billing")
    base = f"/invoices/{flagged.pk}"
    calls = [
        (f"{base}/flags/{block.pk}/decision", {"decision": "accept"}),
        (
            f"{base}/adjustments",
            {"line_id": block.line_id, "approved": "0", "reason_code": "other"},
        ),
        (f"{base}/hold", {"comment": "x"}),
        (f"{base}/submit", {}),
        (f"{base}/void", {"comment": "x"}),
    ]
    for path, body in calls:
        response = post(client, path, token, body)
        # The firm sees its invoice but may not decide (403); the others do not see it (404).
        assert_error_shape(response, 403 if who == "firm_a_user" else 404)
    flagged.refresh_from_db()
    assert (flagged.state, flagged.approved_minor) == (State.IN_REVIEW, BILLED - 100000)


def test_approvers_see_what_is_routed_to_them_and_cannot_review_it(
    client, api_token, approver, approver_sees, flagged
):
    token = api_token(approver)
    assert get(client, "/invoices", token).json()["count"] == 0
    assert_error_shape(get(client, f"/invoices/{flagged.pk}", token), 404)
    approver_sees(flagged)
    assert get(client, "/invoices", token).json()["count"] == 1
    assert get(client, f"/invoices/{flagged.pk}", token).status_code == 200
    assert_error_shape(post(client, f"/invoices/{flagged.pk}/hold", token, {"comment": "x"}), 403)


def test_reason_codes_are_listed(client, api_token, attorney, requester):
    codes = get(client, "/reason-codes", api_token(attorney)).json()
    assert "expense" in [c["code"] for c in codes["items"]]
    assert_error_shape(get(client, "/reason-codes", api_token(requester)), 403)


def test_a_page_of_lines_costs_the_same_queries_whatever_its_size(
    client, api_token, admin, intake, flagged
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    long = intake(long_file("LONG-3", 60)).received[0]
    token = api_token(admin)
    get(client, "/invoices", token)  # the token's first use is recorded once
    counts = []
    for limit in (5, 50):
        with CaptureQueriesContext(connection) as queries:
            assert get(client, f"/invoices/{long.pk}/lines", token, limit=limit).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
