import pytest
from django.db import transaction

from legalops.audit import services as audit_services
from legalops.audit.events import Event
from legalops.audit.models import AppendOnlyError, AuditEvent
from legalops.organization import services as org_services
from legalops.organization.models import BusinessUnit


def test_events_are_append_only(admin):
    with transaction.atomic():
        event = audit_services.audit_record(actor=admin, event=Event.COMPANY_UPDATED)
    event.reason = "rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(reason="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).reason == ""


@pytest.mark.django_db(transaction=True)
def test_an_event_outside_a_transaction_is_refused():
    # In autocommit mode (no surrounding atomic block) the event could outlive a failed change.
    with pytest.raises(audit_services.AuditOutsideTransactionError):
        audit_services.audit_record(actor=None, event=Event.SEED_LOADED)
    assert not AuditEvent.objects.exists()


def test_a_failing_service_leaves_neither_the_change_nor_the_event(admin, monkeypatch):
    real = audit_services.audit_record

    def record_then_fail(**kwargs):
        real(**kwargs)
        raise RuntimeError("disk full")

    monkeypatch.setattr(org_services, "audit_record", record_then_fail)
    with pytest.raises(RuntimeError, match="disk full"):
        org_services.business_unit_save(actor=admin, code="NEW", name="New unit")
    assert not BusinessUnit.objects.filter(code="NEW").exists()
    assert not AuditEvent.objects.filter(event_type="business_unit.created").exists()


def test_a_successful_service_writes_exactly_one_event_with_old_and_new(admin):
    unit = org_services.business_unit_save(actor=admin, code="FIN", name="Finance")
    org_services.business_unit_save(actor=admin, unit=unit, code="FIN", name="Group Finance")
    update = AuditEvent.objects.get(event_type="business_unit.updated")
    assert update.payload == {"old": {"name": "Finance"}, "new": {"name": "Group Finance"}}
    assert update.actor_name == admin.username and update.target_repr == "Group Finance"


def test_the_audit_page_is_for_admins_with_filters(client, admin, attorney):
    org_services.business_unit_save(actor=admin, code="FIN", name="Finance")
    org_services.practice_area_save(actor=admin, code="IP", name="Patents")
    client.force_login(attorney)
    assert client.get("/admin/audit/").status_code == 403
    client.force_login(admin)
    page = client.get("/admin/audit/", {"event_type": "practice_area.created"})
    rows = list(page.context["listing"].page)
    assert [e.event_type for e in rows] == ["practice_area.created"]
    partial = client.get("/admin/audit/", {"q": "Finance"}, headers={"HX-Request": "true"})
    assert b"<html" not in partial.content and b"Finance" in partial.content
    assert b"Patents" not in partial.content
