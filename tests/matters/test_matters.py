import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from tests.factories import MatterFactory, UserFactory

from legalops.audit.models import AuditEvent
from legalops.matters import selectors, services
from legalops.matters.models import MatterStatus


@pytest.fixture
def matters(firm_a, firm_b, attorney):
    both = MatterFactory(number="BOTH", firms=[firm_a, firm_b])
    only_a = MatterFactory(number="A-ONLY", firms=[firm_a])
    secret = MatterFactory(number="SECRET", firms=[firm_a], confidential=True)
    secret.team.add(attorney)
    return both, only_a, secret


def numbers(rows):
    return sorted(m.number for m in rows)


def test_firm_users_see_only_matters_their_firm_is_assigned_to(matters, firm_a_user, firm_b_user):
    assert numbers(selectors.matter_list(user=firm_a_user)) == ["A-ONLY", "BOTH", "SECRET"]
    assert numbers(selectors.matter_list(user=firm_b_user)) == ["BOTH"]
    with pytest.raises(Exception):  # noqa: B017 - DoesNotExist: invisible, not forbidden
        selectors.matter_get(user=firm_b_user, pk=matters[1].pk)


def test_a_confidential_matter_is_invisible_outside_its_team(
    matters, admin, attorney, approver, requester
):
    outsider = UserFactory(role="attorney")
    assert "SECRET" in numbers(selectors.matter_list(user=attorney))
    assert "SECRET" in numbers(selectors.matter_list(user=admin))
    assert numbers(selectors.matter_list(user=outsider)) == ["A-ONLY", "BOTH"]
    assert numbers(selectors.matter_list(user=approver)) == ["A-ONLY", "BOTH"]
    assert not selectors.matter_list(user=requester).exists()
    lead = UserFactory(role="attorney")
    matters[2].lead_attorney = lead
    matters[2].save()
    assert "SECRET" in numbers(selectors.matter_list(user=lead))


def test_an_attorney_who_opens_a_matter_is_on_its_team_and_others_cannot_edit(attorney, admin):
    matter = services.matter_create(
        actor=attorney,
        number=" LIT-9 ",
        name="Acme v. Us",
        matter_type="litigation",
        opened_on=datetime.date(2026, 2, 1),
        currency="usd",
    )
    assert matter.number == "LIT-9" and attorney in matter.team.all()
    outsider = UserFactory(role="attorney")
    with pytest.raises(PermissionDenied):
        services.matter_update(actor=outsider, matter=matter, name="x")
    services.matter_update(
        actor=attorney, matter=matter, name="Acme Corp v. Us", risk_rating="high"
    )
    event = AuditEvent.objects.filter(event_type="matter.updated").get()
    assert event.payload["new"] == {"name": "Acme Corp v. Us", "risk_rating": "high"}
    with pytest.raises(ValidationError, match="already exists"):
        services.matter_create(
            actor=admin,
            number="LIT-9",
            name="dup",
            matter_type="litigation",
            opened_on=datetime.date(2026, 2, 1),
        )
    with pytest.raises(ValidationError):
        services.matter_update(actor=admin, matter=matter, matter_type="war")


def test_requesters_and_firms_cannot_open_matters(requester, firm_a_user):
    for actor in (requester, firm_a_user):
        with pytest.raises(PermissionDenied):
            services.matter_create(
                actor=actor,
                number="X",
                name="X",
                matter_type="advisory",
                opened_on=datetime.date(2026, 1, 1),
            )


def test_close_is_refused_while_a_close_blocker_objects(admin, matters):
    matter = matters[0]
    pending = {"count": 2}

    def pending_invoices(m):
        return f"{pending['count']} invoices are pending" if pending["count"] else None

    services.close_blocker_register(pending_invoices)
    try:
        with pytest.raises(ValidationError, match="cannot close: 2 invoices are pending"):
            services.matter_close(actor=admin, matter=matter, on=datetime.date(2026, 6, 1))
        pending["count"] = 0
        services.matter_close(
            actor=admin, matter=matter, on=datetime.date(2026, 6, 1), outcome="settled"
        )
    finally:
        services.close_blocker_unregister(pending_invoices)
    matter.refresh_from_db()
    assert (matter.status, matter.closed_on, matter.outcome) == (
        MatterStatus.CLOSED,
        datetime.date(2026, 6, 1),
        "settled",
    )
    services.matter_status_change(actor=admin, matter=matter, status="open")
    matter.refresh_from_db()
    assert matter.closed_on is None


def test_firm_terms_are_validated(admin, matters, firm_b):
    matter = matters[1]
    with pytest.raises(ValidationError, match="needs its amount"):
        services.matter_firm_assign(
            actor=admin, matter=matter, firm=firm_b, fee_arrangement="fixed"
        )
    assignment = services.matter_firm_assign(
        actor=admin,
        matter=matter,
        firm=firm_b,
        fee_arrangement="capped",
        fee_amount="25000.505",
        role="local",
    )
    assert assignment.fee_amount_minor == 2_500_051  # ROUND_HALF_UP at the cent


def test_team_items_tasks_notes_and_key_dates(admin, attorney, matters):
    matter = matters[2]
    services.key_date_add(
        actor=attorney, matter=matter, date=datetime.date(2026, 9, 1), label="Hearing"
    )
    task = services.task_add(actor=attorney, matter=matter, title="Draft answer", assignee=attorney)
    services.task_complete(actor=attorney, task=task)
    services.note_add(actor=attorney, matter=matter, text="Called opposing counsel")
    with pytest.raises(ValidationError):
        services.matter_team_set(
            actor=admin,
            matter=matter,
            members=[UserFactory(role="firm", firm=matters[0].assignments.first().firm)],
        )
    assert matter.key_dates.count() == matter.tasks.count() == matter.note_entries.count() == 1
