import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from legalops.vendors import selectors, services


def test_firm_b_cannot_see_firm_a(firm_a_user, firm_b_user, firm_a, firm_b):
    assert list(selectors.law_firm_list(user=firm_b_user)) == [firm_b]
    assert list(selectors.law_firm_list(user=firm_a_user)) == [firm_a]


def test_staff_see_the_whole_panel_and_requesters_none(
    attorney, approver, requester, firm_a, firm_b
):
    assert set(selectors.law_firm_list(user=attorney)) == {firm_a, firm_b}
    assert set(selectors.law_firm_list(user=approver)) == {firm_a, firm_b}
    assert not selectors.law_firm_list(user=requester).exists()


def test_firm_pages_are_for_staff_and_firm_users_are_sent_to_the_portal(
    client, firm_b_user, firm_a
):
    client.force_login(firm_b_user)
    assert client.get("/vendors/").url == "/portal/"
    assert client.get(f"/vendors/{firm_a.pk}/").url == "/portal/"


def test_only_admins_create_and_edit_firms(admin, attorney, firm_a):
    with pytest.raises(PermissionDenied):
        services.law_firm_create(actor=attorney, law_firm_id="1", name="X")
    firm = services.law_firm_create(
        actor=admin,
        law_firm_id=" 12-3456789 ",
        name="New LLP",
        aliases=["New", " N.L.L.P. ", ""],
        currency="gbp",
    )
    assert (firm.law_firm_id, firm.currency, firm.aliases) == (
        "12-3456789",
        "GBP",
        ["N.L.L.P.", "New"],
    )
    with pytest.raises(ValidationError, match="already exists"):
        services.law_firm_create(actor=admin, law_firm_id=firm_a.law_firm_id, name="Copy")
    with pytest.raises(ValidationError, match="unknown currency"):
        services.law_firm_update(actor=admin, firm=firm, currency="XXX")


def test_invoices_match_a_firm_by_id_or_alias(admin, firm_a):
    services.law_firm_update(actor=admin, firm=firm_a, aliases=["HW-LLP", "11-1111111"])
    assert selectors.law_firm_by_ledes_id("36-1234567") == firm_a
    assert selectors.law_firm_by_ledes_id("11-1111111") == firm_a
    assert selectors.law_firm_by_ledes_id("99-9999999") is None


def test_admin_adds_a_firm_in_the_ui_and_bad_input_keeps_the_form(client, admin):
    client.force_login(admin)
    bad = client.post(
        "/vendors/new/",
        {
            "law_firm_id": "",
            "name": "X",
            "status": "approved",
            "currency": "USD",
            "payment_terms_days": "30",
        },
    )
    assert bad.status_code == 200 and b"errorlist" in bad.content
    good = client.post(
        "/vendors/new/",
        {
            "law_firm_id": "55-5555555",
            "name": "Reed LLP",
            "aliases": "Reed; R LLP",
            "status": "preferred",
            "currency": "USD",
            "payment_terms_days": "45",
        },
    )
    assert good.status_code == 302
    listing = client.get("/vendors/", {"q": "reed"})
    assert [f.name for f in listing.context["listing"].page] == ["Reed LLP"]
