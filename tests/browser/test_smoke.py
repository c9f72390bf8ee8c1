"""Smoke test of the real UI: sign in with two factors, see the navigation, use a table."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from tests.accounts.helpers import code_for
from tests.factories import PASSWORD

from legalops.accounts import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PILLARS = ["Spend", "Vendors", "Matters", "Insight", "Contracts", "Requests", "Knowledge", "Admin"]


def sign_in(page: Page, base: str, username: str) -> None:
    page.goto(base + "/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_a_firm_user_enrols_two_factor_and_lands_in_the_portal(
    page: Page, live_server, firm_a_user
):
    sign_in(page, live_server.url, firm_a_user.username)
    expect(page).to_have_url(re.compile(r"/accounts/login/enrol/$"))
    expect(page.locator(".qr svg")).to_be_visible()
    secret = page.get_by_test_id("totp-secret").inner_text()
    page.get_by_label("Code from your app").fill(code_for(secret))
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_test_id("recovery-codes").locator("li")).to_have_count(10)
    page.get_by_role("link", name="I have saved them, continue").click()
    expect(page).to_have_url(re.compile(r"/portal/$"))
    expect(page.get_by_role("heading", name="Hale & Whitmore LLP")).to_be_visible()
    expect(page.get_by_role("navigation", name="Portal")).to_contain_text("Team")


def test_an_admin_signs_in_with_a_code_and_sees_every_pillar(
    page: Page, live_server, admin, firm_a, firm_b
):
    device = services.two_factor_begin(user=admin)
    services.two_factor_confirm(
        user=admin, secret=device.secret, code=code_for(device.secret, offset_steps=-1)
    )
    sign_in(page, live_server.url, admin.username)
    expect(page).to_have_url(re.compile(r"/accounts/login/verify/$"))
    page.get_by_label("Authentication code").fill(code_for(device.secret))
    page.get_by_role("button", name="Verify").click()
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link")).to_have_text(PILLARS)
    nav.get_by_role("link", name="Insight").click()
    expect(page.get_by_role("heading", name="Executive overview")).to_be_visible()
    nav.get_by_role("link", name="Vendors").click()
    expect(page.locator("#results tbody tr")).to_have_count(2)
    page.get_by_label("Search").fill("okafor")  # htmx swaps the table without a reload
    expect(page.locator("#results tbody tr")).to_have_count(1)
    expect(page.locator("#results")).to_contain_text("Okafor Brandt LLP")
    expect(page).to_have_url(re.compile(r"q=okafor"))


def test_pages_load_no_external_resource_and_break_no_csp_rule(page: Page, live_server, admin):
    requests: list[str] = []
    violations: list[str] = []
    failed: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    sign_in(page, live_server.url, admin.username)
    page.goto(live_server.url + "/accounts/users/")
    page.goto(live_server.url + "/api/v1/docs")
    expect(page.locator(".swagger-ui")).to_be_visible()
    assert requests and all(url.startswith(live_server.url) for url in requests), requests
    assert violations == []
    assert failed == []  # every stylesheet, script and image was found
