import pytest

from legalops.core.navigation import SECTIONS

PILLARS = ["Spend", "Vendors", "Matters", "Insight", "Contracts", "Requests", "Knowledge", "Admin"]


def nav_labels(response):
    return [s.label for s in response.context["nav_sections"]]


def test_admins_see_every_pillar_in_one_navigation(client, admin):
    client.force_login(admin)
    response = client.get("/")
    assert nav_labels(response) == PILLARS
    for label in PILLARS:
        assert f">{label}</a>".encode() in response.content


def test_other_roles_see_what_their_role_allows(client, attorney, requester):
    client.force_login(attorney)
    assert nav_labels(client.get("/")) == PILLARS[:-1]
    client.force_login(requester)
    assert nav_labels(client.get("/")) == ["Requests", "Knowledge"]


@pytest.mark.parametrize("pillar", ["contracts", "requests", "knowledge"])
def test_unbuilt_pillars_say_so_honestly(client, attorney, pillar):
    client.force_login(attorney)
    response = client.get(f"/{pillar}/")
    assert response.status_code == 200
    assert b"Not built yet" in response.content


def test_every_navigation_target_answers_for_an_admin(client, admin):
    client.force_login(admin)
    from django.urls import reverse

    for section in SECTIONS:
        assert client.get(reverse(section.url_name)).status_code == 200, section.key


def test_firm_users_live_in_the_portal(client, firm_a_user):
    client.force_login(firm_a_user)
    assert client.get("/").url == "/portal/"
    assert client.get("/spend/").url == "/portal/"
    page = client.get("/portal/")
    assert b"Hale &amp; Whitmore LLP" in page.content
    assert b'href="/portal/invoices/"' in page.content
    assert client.get("/admin/organization/company/").status_code == 403


def test_a_firm_admin_sees_and_invites_only_their_colleagues(client, firm_a_user, firm_b_user):
    client.force_login(firm_a_user)
    team = client.get("/portal/team/")
    assert firm_a_user.username.encode() in team.content
    assert firm_b_user.username.encode() not in team.content
    form = client.get("/accounts/invitations/new/")
    assert list(form.context["form"].fields["firm"].queryset) == [firm_a_user.firm]
    response = client.post(
        "/accounts/invitations/new/",
        {"email": "colleague@firm-a.example", "role": "firm", "firm": firm_b_user.firm.pk},
    )
    assert response.status_code == 200 and b"errorlist" in response.content


def test_a_plain_firm_user_cannot_invite(client, firm_b_user):
    client.force_login(firm_b_user)
    assert client.get("/accounts/invitations/new/").status_code == 403


def test_user_admin_lists_sorts_filters_and_pages(client, admin, personas):
    client.force_login(admin)
    page = client.get("/accounts/users/", {"role": "firm", "sort": "-username"})
    names = [u.username for u in page.context["listing"].page]
    assert names == ["bob.firm-b", "alice.firm-a"]
    partial = client.get("/accounts/users/", {"q": "counsel"}, headers={"HX-Request": "true"})
    assert b"<html" not in partial.content and b"counsel" in partial.content
    bad_sort = client.get("/accounts/users/", {"sort": "password", "page": "999"})
    assert bad_sort.status_code == 200 and bad_sort.context["listing"].sort == "username"


def test_admin_deactivates_a_user_from_the_user_page(client, admin, attorney):
    client.force_login(admin)
    response = client.post(f"/accounts/users/{attorney.pk}/deactivate/", {"reason": "left"})
    assert response.status_code == 302
    attorney.refresh_from_db()
    assert not attorney.is_active
    assert client.post(f"/accounts/users/{attorney.pk}/explode/").status_code == 404


def test_security_page_creates_a_token_shown_once(client, attorney):
    client.force_login(attorney)
    client.post("/accounts/security/tokens/", {"name": "ERP"})
    first = client.get("/accounts/security/")
    token = first.context["new_token"]
    assert token and token.encode() in first.content
    assert client.get("/accounts/security/").context["new_token"] is None
    me = client.get("/api/v1/me", headers={"authorization": f"Bearer {token}"})
    assert me.json()["username"] == attorney.username


def test_pages_carry_a_strict_content_security_policy(client, admin):
    client.force_login(admin)
    policy = client.get("/").headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


def test_healthz_reports_the_database(client, db):
    assert client.get("/healthz").json() == {"status": "ok"}


@pytest.mark.parametrize(
    "path",
    [
        "/static/vendor/chartjs/chart.umd.min.js",
        "/static/django_htmx/htmx-2.min.js",
        "/static/legalops/app.css",
    ],
)
def test_front_end_libraries_are_served_from_our_static_files(client, db, path):
    response = client.get(path)
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert len(body) > 1000
