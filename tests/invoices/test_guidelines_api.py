"""Guidelines management over the API: admins list versions, create and edit drafts, publish
with an effective date and diff two versions; everyone else gets 403; the engine's problems and
the publishing rules come back as 422 naming the line and key or the rule broken."""

from __future__ import annotations

from typing import Any

import pytest
from tests.invoices.guidelines_samples import ACME, june_15_2026  # noqa: F401

from legalops.audit.models import AuditEvent
from legalops.invoices.models import GuidelinesVersion

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("june_15_2026")]

# From ACME by hand: max_hours 10 -> 12, long-entry switched off, version 2026.1 -> 2026.2.
ACME_2 = """[guidelines]
name = "Acme OCG"
version = "2026.2"
effective = 2026-01-01

[rules.daily-hours-cap]
action = "hold"
max_hours = 12

[rules.long-entry]
enabled = false
"""


@pytest.fixture
def call(client, api_token, admin):
    token = api_token(admin)

    def request(method: str, path: str, body: dict[str, Any] | None = None, tok: str = token):
        send = getattr(client, method)
        headers = {"authorization": f"Bearer {tok}"}
        if body is None:
            return send(f"/api/v1{path}", headers=headers)
        return send(f"/api/v1{path}", body, content_type="application/json", headers=headers)

    return request


def test_draft_edit_publish_and_list(call, admin):
    created = call("post", "/guidelines/versions", {"source": ACME, "filename": "acme.toml"})
    assert created.status_code == 201, created.content
    draft = created.json()
    assert (draft["status"], draft["standing"], draft["version"]) == ("draft", "draft", "2026.1")
    assert draft["source"] == ACME and draft["effective"] == "2026-01-01"

    saved = call("put", f"/guidelines/versions/{draft['id']}", {"source": ACME_2})
    assert saved.status_code == 200, saved.content
    assert saved.json()["version"] == "2026.2" and saved.json()["source"] == ACME_2
    [event] = AuditEvent.objects.filter(event_type="guidelines.draft_saved")
    assert event.payload["via"] == "api" and event.actor == admin

    published = call(
        "post",
        f"/guidelines/versions/{draft['id']}/publish",
        {"reason": "agreed with the panel", "effective": "2026-07-01"},
    )
    assert published.status_code == 200, published.content
    body = published.json()
    assert (body["status"], body["standing"], body["effective"]) == (
        "published",
        "scheduled",
        "2026-07-01",
    )
    assert "effective = 2026-07-01" in body["source"]  # the date is written into the file

    listed = call("get", "/guidelines/versions").json()
    # The shipped defaults (in force today) and the scheduled version.
    assert listed["count"] == 2
    standings = {item["version"]: item["standing"] for item in listed["items"]}
    assert standings["2026.2"] == "scheduled"
    assert sorted(standings.values()) == ["in force", "scheduled"]
    shipped = next(i for i in listed["items"] if i["standing"] == "in force")
    assert shipped["until"] == "2026-06-30"


def test_published_versions_never_change_and_days_are_not_shared(call):
    first = call("post", "/guidelines/versions", {"source": ACME}).json()
    call(
        "post",
        f"/guidelines/versions/{first['id']}/publish",
        {"reason": "r", "effective": "2026-07-01"},
    )
    refused = call("put", f"/guidelines/versions/{first['id']}", {"source": ACME_2})
    assert refused.status_code == 422
    assert "published versions never change" in refused.json()["errors"][0]["msg"]

    second = call("post", "/guidelines/versions", {"source": ACME_2}).json()
    same_day = call(
        "post",
        f"/guidelines/versions/{second['id']}/publish",
        {"reason": "r", "effective": "2026-07-01"},
    )
    assert same_day.status_code == 422
    assert "already takes effect on 2026-07-01" in same_day.json()["errors"][0]["msg"]
    past = call(
        "post",
        f"/guidelines/versions/{second['id']}/publish",
        {"reason": "r", "effective": "2026-03-01"},
    )
    assert past.status_code == 422 and "in the past" in past.json()["errors"][0]["msg"]
    no_reason = call(
        "post",
        f"/guidelines/versions/{second['id']}/publish",
        {"reason": " ", "effective": "2026-09-01"},
    )
    assert no_reason.status_code == 422
    assert GuidelinesVersion.objects.get(pk=second["id"]).status == "draft"


def test_an_invalid_file_is_refused_with_its_line_and_key(call):
    bad = ACME.replace("max_hours = 10", 'max_hours = "ten"')
    response = call("post", "/guidelines/versions", {"source": bad, "filename": "acme.toml"})
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["msg"].startswith("acme.toml:8: rules.daily-hours-cap.max_hours:")
    missing = call("post", "/guidelines/versions", {"filename": "x.toml"})
    assert missing.status_code == 422
    assert GuidelinesVersion.objects.filter(status="draft").count() == 0


def test_diff_of_two_versions_as_computed_by_hand(call):
    a = call("post", "/guidelines/versions", {"source": ACME}).json()
    b = call("post", "/guidelines/versions", {"source": ACME_2}).json()
    diff = call("get", f"/guidelines/diff?old={a['id']}&new={b['id']}").json()
    assert diff["empty"] is False
    assert diff["header"] == [{"what": "version", "old": "2026.1", "new": "2026.2"}]
    rules = {r["rule_id"]: r["changes"] for r in diff["rules"]}
    assert rules == {
        "daily-hours-cap": [{"what": "max_hours", "old": "10", "new": "12"}],
        "long-entry": [{"what": "enabled", "old": "on", "new": "off"}],
    }
    assert "-max_hours = 10" in diff["text"] and "+max_hours = 12" in diff["text"]
    same = call("get", f"/guidelines/diff?old={a['id']}&new={a['id']}").json()
    assert same["empty"] is True and same["text"] == []
    assert call("get", f"/guidelines/diff?old={a['id']}&new=999999").status_code == 404


@pytest.mark.parametrize("role", ["attorney", "approver", "requester", "firm_a"])
def test_only_admins_manage_guidelines_over_the_api(call, personas, api_token, role):
    draft = call("post", "/guidelines/versions", {"source": ACME}).json()
    token = api_token(personas[role])
    for method, path, body in [
        ("get", "/guidelines/versions", None),
        ("get", f"/guidelines/versions/{draft['id']}", None),
        ("post", "/guidelines/versions", {"source": ACME_2}),
        ("put", f"/guidelines/versions/{draft['id']}", {"source": ACME_2}),
        ("post", f"/guidelines/versions/{draft['id']}/publish", {"reason": "r"}),
        ("get", f"/guidelines/diff?old={draft['id']}&new={draft['id']}", None),
    ]:
        response = call(method, path, body, tok=token)
        assert response.status_code == 403, (role, method, path, response.content)
    assert GuidelinesVersion.objects.get(pk=draft["id"]).source == ACME
    assert GuidelinesVersion.objects.filter(status="draft").count() == 1
