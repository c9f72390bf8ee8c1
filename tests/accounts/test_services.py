from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from tests.factories import PASSWORD

from legalops.accounts import services
from legalops.accounts.models import ApiToken, Invitation, Role, User
from legalops.audit.models import AuditEvent

ACCEPT = "http://testserver/accounts/invitations/accept/{token}/"


def test_admin_creates_a_user_and_the_event_names_the_actor(admin):
    user = services.user_create(
        actor=admin,
        username="new.counsel",
        role=Role.ATTORNEY,
        email="n@example.com",
        password=PASSWORD,
    )
    event = AuditEvent.objects.get(event_type="user.created", target_id=str(user.pk))
    assert event.actor == admin and event.payload["new"]["role"] == "attorney"
    assert user.check_password(PASSWORD)


@pytest.mark.parametrize("role", ["attorney", "approver", "requester", "firm"])
def test_only_admins_create_users(personas, role):
    actor = personas["firm_a" if role == "firm" else role]
    with pytest.raises(PermissionDenied):
        services.user_create(actor=actor, username="x", role=Role.ATTORNEY)
    assert not User.objects.filter(username="x").exists()


def test_firm_users_need_a_firm_and_staff_must_not_have_one(admin, firm_a):
    with pytest.raises(ValidationError, match="must belong to a law firm"):
        services.user_create(actor=admin, username="f", role=Role.FIRM)
    with pytest.raises(ValidationError, match="only firm users"):
        services.user_create(actor=admin, username="s", role=Role.ATTORNEY, firm=firm_a)


def test_usernames_are_unique_whatever_the_case(admin, attorney):
    with pytest.raises(ValidationError, match="already taken"):
        services.user_create(actor=admin, username=attorney.username.upper(), role=Role.ATTORNEY)


def test_weak_passwords_are_refused(admin):
    with pytest.raises(ValidationError):
        services.user_create(actor=admin, username="weak", role=Role.ATTORNEY, password="password")


def test_deactivation_ends_the_session_and_the_tokens_at_once(client, admin, attorney, api_token):
    token = api_token(attorney)
    client.force_login(attorney)
    assert client.get("/vendors/").status_code == 200
    services.user_deactivate(actor=admin, user=attorney, reason="left the company")
    assert client.get("/vendors/").status_code == 302  # the open session is over
    response = client.get("/api/v1/me", headers={"authorization": f"Bearer {token}"})
    assert response.status_code == 401
    assert not ApiToken.objects.filter(user=attorney, revoked_at__isnull=True).exists()
    event = AuditEvent.objects.get(event_type="user.deactivated")
    assert event.reason == "left the company" and event.payload["tokens_revoked"] == 1


def test_admins_cannot_deactivate_themselves(admin):
    with pytest.raises(ValidationError, match="your own account"):
        services.user_deactivate(actor=admin, user=admin)


def test_reactivation_restores_sign_in_but_not_revoked_tokens(client, admin, attorney, api_token):
    token = api_token(attorney)
    services.user_deactivate(actor=admin, user=attorney)
    services.user_reactivate(actor=admin, user=attorney)
    response = client.get("/api/v1/me", headers={"authorization": f"Bearer {token}"})
    assert response.status_code == 401
    assert client.login(username=attorney.username, password=PASSWORD)


def test_tokens_are_stored_only_as_digests(attorney):
    token, raw = services.token_create(actor=attorney, user=attorney, name="ERP")
    assert raw.startswith("lo_") and raw not in token.digest and len(token.digest) == 64
    assert services.token_authenticate(raw) == attorney
    assert services.token_authenticate(raw + "x") is None


def test_users_manage_only_their_own_tokens(attorney, approver):
    with pytest.raises(PermissionDenied):
        services.token_create(actor=approver, user=attorney)
    token, _ = services.token_create(actor=attorney, user=attorney)
    with pytest.raises(PermissionDenied):
        services.token_revoke(actor=approver, token=token)


def test_an_invitation_is_emailed_and_creates_the_account(
    admin, firm_a, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation, raw = services.invitation_send(
            actor=admin, email="new@firm-a.example", role=Role.FIRM, firm=firm_a, accept_url=ACCEPT
        )
    assert len(mail.outbox) == 1 and raw in mail.outbox[0].body
    assert "Hale & Whitmore LLP" in mail.outbox[0].body
    page = client.get(f"/accounts/invitations/accept/{raw}/")
    assert page.status_code == 200 and b"new@firm-a.example" in page.content
    response = client.post(
        f"/accounts/invitations/accept/{raw}/",
        {"username": "newbie", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    user = User.objects.get(username="newbie")
    assert (user.role, user.firm, user.email) == ("firm", firm_a, "new@firm-a.example")
    invitation.refresh_from_db()
    assert invitation.accepted_user == user
    again = client.get(f"/accounts/invitations/accept/{raw}/")
    assert again.status_code == 404


def test_an_expired_invitation_is_refused(admin, time_machine):
    _, raw = services.invitation_send(
        actor=admin, email="late@example.com", role=Role.ATTORNEY, accept_url=ACCEPT
    )
    time_machine.move_to(timezone.now() + timedelta(days=8))
    with pytest.raises(ValidationError, match="invalid, expired"):
        services.invitation_accept(token=raw, username="late", password=PASSWORD)


def test_a_revoked_invitation_is_refused(admin):
    invitation, raw = services.invitation_send(
        actor=admin, email="r@example.com", role=Role.APPROVER, accept_url=ACCEPT
    )
    services.invitation_revoke(actor=admin, invitation=invitation)
    assert services.invitation_by_token(raw) is None


def test_a_firm_admin_invites_colleagues_of_their_own_firm_only(firm_a_user, firm_b):
    services.invitation_send(
        actor=firm_a_user,
        email="c@firm-a.example",
        role=Role.FIRM,
        firm=firm_a_user.firm,
        accept_url=ACCEPT,
    )
    with pytest.raises(PermissionDenied, match="own firm"):
        services.invitation_send(
            actor=firm_a_user,
            email="spy@firm-b.example",
            role=Role.FIRM,
            firm=firm_b,
            accept_url=ACCEPT,
        )
    with pytest.raises(PermissionDenied, match="own firm"):
        services.invitation_send(
            actor=firm_a_user, email="boss@example.com", role=Role.ADMIN, accept_url=ACCEPT
        )
    assert Invitation.objects.count() == 1


@pytest.mark.parametrize("who", ["firm_b", "attorney", "approver", "requester"])
def test_others_cannot_invite(personas, who, firm_a):
    with pytest.raises(PermissionDenied):
        services.invitation_send(
            actor=personas[who],
            email="x@example.com",
            role=Role.FIRM,
            firm=personas[who].firm or firm_a,
            accept_url=ACCEPT,
        )


def test_inviting_an_existing_address_is_refused(admin, attorney):
    with pytest.raises(ValidationError, match="already has an account"):
        services.invitation_send(
            actor=admin, email=attorney.email.upper(), role=Role.ATTORNEY, accept_url=ACCEPT
        )


def test_firm_users_cannot_switch_off_their_second_factor(firm_a_user, admin):
    services.two_factor_begin(user=firm_a_user)
    with pytest.raises(ValidationError, match="required for firm users"):
        services.two_factor_disable(actor=firm_a_user, user=firm_a_user)
    services.two_factor_disable(actor=admin, user=firm_a_user, reason="lost phone")


def test_password_reset_by_email(client, attorney):
    client.post("/accounts/password/reset/", {"email": attorney.email})
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/reset/" in line)
    path = link.split("testserver", 1)[1]
    form_page = client.get(path, follow=True)
    new = "a-whole-new-passphrase-7"
    response = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302
    attorney.refresh_from_db()
    assert attorney.check_password(new)
    assert AuditEvent.objects.filter(event_type="user.password_reset", actor=attorney).exists()


def test_password_reset_says_nothing_about_unknown_addresses(client, db):
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.com"})
    assert response.status_code == 302 and len(mail.outbox) == 0


def test_password_change_checks_the_old_password_and_is_audited(client, attorney):
    client.force_login(attorney)
    bad = client.post(
        "/accounts/password/change/",
        {
            "old_password": "nope",
            "new_password1": "fresh-passphrase-42",
            "new_password2": "fresh-passphrase-42",
        },
    )
    assert bad.status_code == 200
    good = client.post(
        "/accounts/password/change/",
        {
            "old_password": PASSWORD,
            "new_password1": "fresh-passphrase-42",
            "new_password2": "fresh-passphrase-42",
        },
    )
    assert good.status_code == 302
    assert client.get("/vendors/").status_code == 200  # still signed in
    assert AuditEvent.objects.filter(event_type="user.password_changed").count() == 1
