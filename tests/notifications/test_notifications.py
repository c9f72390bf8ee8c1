"""In-app notifications (the bell, the list that marks read) and email through the task queue,
switched off per kind; budget alerts reach the bell as well."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.db import transaction
from tests.approvals.ebilling import CLEAN
from tests.factories import UserFactory

from legalops.audit.models import AuditEvent
from legalops.matters import budgets
from legalops.notifications import selectors, services
from legalops.notifications.models import Kind, Notification


def send(users, kind=Kind.APPROVAL_WAITING, **kw):
    with transaction.atomic():
        return services.notify(users=users, kind=kind, title="Invoice X waits", body="b", **kw)


def test_each_user_gets_one_notification_and_an_email_after_commit(
    approver, attorney, django_capture_on_commit_callbacks
):
    gone = UserFactory(username="left", is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        rows = send([approver, approver, attorney, gone, None], url="/approvals/")
    assert sorted(r.user.username for r in rows) == ["counsel", "finance"]
    assert sorted(m.to[0] for m in mail.outbox) == ["counsel@example.com", "finance@example.com"]
    assert all(len(m.to) == 1 for m in mail.outbox)  # nobody sees another's address
    assert "http://127.0.0.1:8000/approvals/" in mail.outbox[0].body


def test_email_can_be_switched_off_per_kind(approver, django_capture_on_commit_callbacks):
    services.email_preferences_set(actor=approver, email_kinds=[Kind.APPEAL_FILED])
    assert selectors.email_preferences(approver)[Kind.APPROVAL_WAITING] is False
    with django_capture_on_commit_callbacks(execute=True):
        send([approver])
        send([approver], kind=Kind.APPEAL_FILED)
    assert Notification.objects.filter(user=approver).count() == 2  # the bell shows both
    assert [m.subject for m in mail.outbox] == ["Invoice X waits"]
    event = AuditEvent.objects.get(event_type="notification_preferences.set")
    assert event.payload["new"] == {"email": ["appeal_filed"]}


def test_the_bell_counts_unread_and_opening_marks_read(signed_in, approver, firm_b_user):
    (note,) = send([approver], url="/approvals/")
    client = signed_in(approver)
    page = client.get("/approvals/").content.decode()
    assert 'aria-label="Notifications: 1 unread"' in page
    response = client.get(f"/notifications/{note.pk}/")
    assert response.status_code == 302 and response["Location"] == "/approvals/"
    note.refresh_from_db()
    assert note.read_at is not None
    assert 'aria-label="Notifications: 0 unread"' in client.get("/notifications/").content.decode()
    client.force_login(firm_b_user)
    assert client.get(f"/notifications/{note.pk}/").status_code == 404


def test_the_list_filters_and_marks_everything_read(signed_in, approver):
    send([approver])
    send([approver], kind=Kind.APPEAL_FILED)
    client = signed_in(approver)
    body = client.get("/notifications/", {"kind": "appeal_filed"}).content.decode()
    assert body.count("Invoice X waits") == 1
    client.post("/notifications/read-all/")
    assert selectors.unread_count(approver) == 0


def test_the_preferences_page(signed_in, firm_a_user):
    client = signed_in(firm_a_user)
    assert client.get("/notifications/preferences/").status_code == 200
    client.post("/notifications/preferences/", {"email": ["invoice_rejected"]})
    prefs = selectors.email_preferences(firm_a_user)
    assert prefs["invoice_rejected"] and not prefs["appeal_decided"]


def test_the_api_lists_and_marks_read(client, api_token, approver, attorney):
    mine, _ = send([approver]), send([attorney])
    headers = {"authorization": f"Bearer {api_token(approver)}"}
    body = client.get("/api/v1/notifications", {"unread": "true"}, headers=headers).json()
    assert body["count"] == 1 and body["items"][0]["id"] == mine[0].pk
    done = client.post(
        "/api/v1/notifications/read",
        {"ids": [mine[0].pk]},
        content_type="application/json",
        headers=headers,
    ).json()
    assert done == {"marked": 1, "unread": 0}
    assert selectors.unread_count(attorney) == 1


@pytest.fixture
def budget(approved, matter_a, firm_a, attorney, admin):
    from legalops.invoices import hooks

    hooks.register()  # approved spend from invoices (another test may have swapped the source)
    budgets.budget_submit(
        actor=admin,
        matter=matter_a,
        firm=firm_a,
        fiscal_year=2026,
        amounts={"": Decimal("1000")},
        approve=True,
    )
    approved(CLEAN)  # 1,000.00 approved: 100% of the budget


def test_a_budget_threshold_rings_the_bell_and_mails_unless_switched_off(
    budget, attorney, django_capture_on_commit_callbacks
):
    services.email_preferences_set(
        actor=attorney, email_kinds=[k for k in Kind.values if k != Kind.BUDGET_THRESHOLD]
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert budgets.budget_alerts_check(today=datetime.date(2026, 12, 1)) >= 1
    notes = Notification.objects.filter(user=attorney, kind=Kind.BUDGET_THRESHOLD)
    assert notes.exists() and "LIT-001 has used" in notes.first().title
    assert not [m for m in mail.outbox if "Budget alert" in m.subject]


def test_a_budget_threshold_mails_the_lead_by_default(
    budget, attorney, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        budgets.budget_alerts_check(today=datetime.date(2026, 12, 1))
    assert [m.to for m in mail.outbox if "Budget alert" in m.subject]
