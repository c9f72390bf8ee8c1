import json
import re

import pytest

from legalops.accounts import services


def get(client, path, token=None, **params):
    headers = {"authorization": f"Bearer {token}"} if token else {}
    return client.get(f"/api/v1{path}", params, headers=headers)


def assert_error_shape(response, status):
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"detail", "errors"} and isinstance(body["detail"], str)
    for error in body["errors"]:
        assert set(error) == {"loc", "msg", "code"}
    return body


def test_lists_paginate_with_limit_and_offset(client, admin, api_token, firm_a, firm_b):
    token = api_token(admin)
    first = get(client, "/firms", token, limit=1).json()
    second = get(client, "/firms", token, limit=1, offset=1).json()
    assert first["count"] == second["count"] == 2
    assert [f["name"] for f in first["items"] + second["items"]] == [
        "Hale & Whitmore LLP",
        "Okafor Brandt LLP",
    ]


def test_firm_b_cannot_see_firm_a_through_the_api(client, api_token, firm_a, firm_b_user):
    token = api_token(firm_b_user)
    listed = get(client, "/firms", token).json()
    assert [f["law_firm_id"] for f in listed["items"]] == ["94-7654321"]
    assert listed["count"] == 1
    assert_error_shape(get(client, f"/firms/{firm_a.pk}", token), 404)


@pytest.mark.parametrize("who", ["attorney", "approver", "requester", "firm_a", "firm_b"])
def test_only_admins_read_the_audit_trail(client, api_token, personas, who):
    assert_error_shape(get(client, "/audit-events", api_token(personas[who])), 403)


def test_admins_read_the_audit_trail_filtered(client, api_token, admin, attorney):
    services.user_deactivate(actor=admin, user=attorney, reason="moved on")
    body = get(client, "/audit-events", api_token(admin), event_type="user.deactivated").json()
    assert body["count"] == 1 and body["items"][0]["reason"] == "moved on"


def test_requesters_do_not_see_organization_data(client, api_token, requester):
    assert_error_shape(get(client, "/business-units", api_token(requester)), 403)


def test_missing_bad_and_revoked_tokens_get_401(client, attorney):
    assert_error_shape(get(client, "/me"), 401)
    assert_error_shape(get(client, "/me", "lo_not-a-token"), 401)
    token, raw = services.token_create(actor=attorney, user=attorney)
    assert get(client, "/me", raw).json()["username"] == attorney.username
    services.token_revoke(actor=attorney, token=token)
    response = get(client, "/me", raw)
    assert_error_shape(response, 401)
    assert response["WWW-Authenticate"] == "Bearer"


def test_invalid_query_parameters_name_the_field(client, api_token, admin):
    body = assert_error_shape(get(client, "/firms", api_token(admin), limit="many"), 422)
    assert body["errors"][0]["loc"] == ["query", "limit"]
    body = assert_error_shape(get(client, "/firms", api_token(admin), limit=0), 422)
    assert body["errors"][0]["loc"] == ["query", "limit"]


def test_a_refused_write_names_the_field(client, api_token, admin, firm_a):
    response = client.post(
        "/api/v1/firms",
        {"law_firm_id": firm_a.law_firm_id, "name": "X"},
        content_type="application/json",
        headers={"authorization": f"Bearer {api_token(admin)}"},
    )
    body = assert_error_shape(response, 422)
    assert body["errors"][0]["loc"] == ["body", "law_firm_id"]


def test_a_malformed_body_is_a_422_not_a_500(client, api_token, admin):
    response = client.post(
        "/api/v1/firms",
        "{not json",
        content_type="application/json",
        headers={"authorization": f"Bearer {api_token(admin)}"},
    )
    assert response.status_code in (400, 422)
    assert "detail" in response.json()


def test_non_admins_cannot_create_firms(client, api_token, attorney):
    response = client.post(
        "/api/v1/firms",
        {"law_firm_id": "1-2", "name": "X"},
        content_type="application/json",
        headers={"authorization": f"Bearer {api_token(attorney)}"},
    )
    assert_error_shape(response, 403)


def test_the_browser_session_works_but_writes_need_csrf(attorney, admin):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(attorney)
    assert browser.get("/api/v1/me").json()["username"] == attorney.username
    browser.force_login(admin)
    refused = browser.post(
        "/api/v1/firms", {"law_firm_id": "1-2", "name": "X"}, content_type="application/json"
    )
    assert refused.status_code in (401, 403)


def test_openapi_docs_render_with_no_external_asset(client, db):
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    urls = re.findall(rb'(?:src|href)="([^"]+)"', page.content)
    assert urls, "the docs page loads its assets"
    assert all(url.startswith(b"/static/") for url in urls), urls
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/firms" in schema["paths"]


def test_ninjas_schema_export_command_still_works(tmp_path, db):
    from django.core.management import call_command

    out = tmp_path / "openapi.json"
    call_command("export_openapi_schema", "--api", "legalops.api.api", "--output", str(out))
    assert "/api/v1/firms" in json.loads(out.read_text())["paths"]
