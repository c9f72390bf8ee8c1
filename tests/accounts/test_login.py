import time

import pytest
import time_machine
from django.utils import timezone
from tests.accounts.helpers import code_for, post_password

from legalops.accounts import services
from legalops.accounts.models import LoginFailure, TwoFactorDevice
from legalops.audit.models import AuditEvent


def enable_two_factor(user):
    device = services.two_factor_begin(user=user)
    return device.secret, services.two_factor_confirm(
        user=user, secret=device.secret, code=code_for(device.secret)
    )


def test_the_start_page_shows_a_login_form_to_a_stranger(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert b'name="password"' in response.content and b'name="username"' in response.content


def test_staff_without_two_factor_sign_in_with_a_password(client, attorney):
    response = post_password(client, attorney.username)
    assert response.status_code == 302 and response.url == "/"
    assert client.get("/").context["user"] == attorney
    event = AuditEvent.objects.get(event_type="user.logged_in")
    assert event.actor == attorney and event.payload["two_factor"] is False


def test_a_wrong_password_is_refused_recorded_and_audited(client, attorney):
    response = post_password(client, attorney.username, "wrong-password")
    assert response.status_code == 200
    assert b"do not match an active account" in response.content
    assert LoginFailure.objects.filter(username=attorney.username).count() == 1
    assert AuditEvent.objects.filter(
        event_type="user.login_failed", target_id=str(attorney.pk)
    ).exists()
    assert "_auth_user_id" not in client.session


def test_repeated_failures_lock_the_username_even_for_the_right_password(client, attorney):
    for _ in range(5):
        post_password(client, attorney.username, "wrong-password")
    response = post_password(client, attorney.username)
    assert b"Too many failed sign-in attempts" in response.content
    assert "_auth_user_id" not in client.session


def test_the_lock_lifts_when_the_window_has_passed(client, attorney):
    for _ in range(5):
        post_password(client, attorney.username, "wrong-password")
    with time_machine.travel(timezone.now() + timezone.timedelta(minutes=16)):
        response = post_password(client, attorney.username)
        assert response.status_code == 302


def test_a_deactivated_user_cannot_sign_in(client, attorney):
    services.user_deactivate(actor=None, user=attorney)
    response = post_password(client, attorney.username)
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_staff_with_two_factor_must_give_a_code(client, attorney):
    secret, _ = enable_two_factor(attorney)
    response = post_password(client, attorney.username)
    assert response.url == "/accounts/login/verify/"
    assert "_auth_user_id" not in client.session  # not signed in after the password alone
    assert client.get("/accounts/security/").status_code == 302
    response = client.post("/accounts/login/verify/", {"code": code_for(secret, offset_steps=1)})
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(attorney.pk)


def test_a_wrong_code_is_refused_and_counts_as_a_failure(client, attorney):
    enable_two_factor(attorney)
    post_password(client, attorney.username)
    response = client.post("/accounts/login/verify/", {"code": "000000"})
    assert b"not valid" in response.content
    assert LoginFailure.objects.filter(username=attorney.username).count() == 1
    assert "_auth_user_id" not in client.session


def test_second_factor_guessing_is_throttled(client, attorney):
    secret, _ = enable_two_factor(attorney)
    post_password(client, attorney.username)
    for _ in range(5):
        client.post("/accounts/login/verify/", {"code": "000000"})
    response = client.post("/accounts/login/verify/", {"code": code_for(secret, offset_steps=1)})
    assert b"Too many failed attempts" in response.content
    assert "_auth_user_id" not in client.session


def test_a_recovery_code_signs_in_once(client, attorney):
    _, codes = enable_two_factor(attorney)
    post_password(client, attorney.username)
    assert client.post("/accounts/login/verify/", {"code": codes[0].upper()}).status_code == 302
    client.post("/accounts/logout/")
    post_password(client, attorney.username)
    response = client.post("/accounts/login/verify/", {"code": codes[0]})
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(event_type="two_factor.recovery_code_used").count() == 1


def test_a_code_cannot_be_replayed_after_use(attorney):
    secret, _ = enable_two_factor(attorney)
    code = code_for(secret, offset_steps=1)
    assert services.two_factor_verify(user=attorney, code=code)
    assert not services.two_factor_verify(user=attorney, code=code)


def test_a_firm_user_must_enrol_before_the_first_sign_in_completes(client, firm_a_user):
    response = post_password(client, firm_a_user.username)
    assert response.url == "/accounts/login/enrol/"
    page = client.get("/accounts/login/enrol/")
    assert b"<svg" in page.content  # the QR code
    secret = page.context["secret"]
    assert client.get("/portal/").status_code == 302  # not signed in yet
    response = client.post("/accounts/login/enrol/", {"code": code_for(secret)})
    assert response.url == "/accounts/security/recovery-codes/"
    codes_page = client.get(response.url)
    assert len(codes_page.context["codes"]) == 10
    assert client.get("/portal/").status_code == 200
    assert TwoFactorDevice.objects.get(user=firm_a_user).confirmed_at is not None


def test_a_wrong_enrolment_code_keeps_the_user_out(client, firm_a_user):
    post_password(client, firm_a_user.username)
    client.get("/accounts/login/enrol/")
    response = client.post("/accounts/login/enrol/", {"code": "123456"})
    assert b"does not match" in response.content
    assert "_auth_user_id" not in client.session


def test_the_pending_second_step_expires(client, attorney):
    enable_two_factor(attorney)
    post_password(client, attorney.username)
    with time_machine.travel(time.time() + 11 * 60):
        response = client.get("/accounts/login/verify/")
    assert response.status_code == 302 and response.url == "/accounts/login/"


def test_next_parameter_is_followed_only_within_the_site(client, attorney):
    response = client.post(
        "/accounts/login/?next=/vendors/",
        {"username": attorney.username, "password": "correct-horse-battery-9", "next": "/vendors/"},
    )
    assert response.url == "/vendors/"
    client.post("/accounts/logout/")
    response = client.post(
        "/accounts/login/",
        {
            "username": attorney.username,
            "password": "correct-horse-battery-9",
            "next": "https://evil.example.com/",
        },
    )
    assert response.url == "/"


@pytest.mark.parametrize("path", ["/vendors/", "/admin/audit/", "/accounts/security/"])
def test_pages_need_a_signed_in_user(client, db, path):
    response = client.get(path)
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_logout_ends_the_session_and_is_audited(client, attorney):
    client.force_login(attorney)
    client.post("/accounts/logout/")
    assert client.get("/vendors/").status_code == 302
    assert AuditEvent.objects.filter(event_type="user.logged_out", actor=attorney).exists()
