"""Configurable matter types: the shipped ones seeded with their codes, admins add, rename,
reorder and deactivate them, matters (form, service, import) are offered and accept only the
active ones, and the codes stored on matters keep working."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from tests.factories import MatterFactory

from legalops.audit.models import AuditEvent
from legalops.core import imports
from legalops.matters import services
from legalops.matters.models import Matter, MatterTypeDef
from legalops.matters.types import matter_type_choices, matter_type_save

SHIPPED = [
    "litigation",
    "transactional",
    "advisory",
    "regulatory",
    "ip",
    "employment",
    "investigation",
    "other",
]


def create(actor, number, matter_type):
    return services.matter_create(
        actor=actor,
        number=number,
        name="Test",
        matter_type=matter_type,
        opened_on=datetime.date(2026, 3, 1),
    )


def test_the_shipped_types_are_seeded_with_their_codes(db):
    assert list(MatterTypeDef.objects.values_list("code", flat=True)) == SHIPPED
    assert MatterTypeDef.objects.get(code="ip").name == "Intellectual property"


def test_admin_adds_a_type_and_matters_use_it(admin):
    arbitration = matter_type_save(actor=admin, code="Arbitration", name="Arbitration", order=5)
    assert arbitration.code == "arbitration"
    assert matter_type_choices()[0] == ("arbitration", "Arbitration")
    matter = create(admin, "ARB-1", "arbitration")
    assert matter.get_matter_type_display() == "Arbitration"
    assert AuditEvent.objects.filter(event_type="matter_type.created").count() == 1


def test_renaming_shows_everywhere_and_the_code_stays(admin):
    matter = MatterFactory(matter_type="ip")
    ip = MatterTypeDef.objects.get(code="ip")
    matter_type_save(actor=admin, matter_type=ip, code="ip", name="Patents and marks", order=50)
    assert Matter.objects.get(pk=matter.pk).get_matter_type_display() == "Patents and marks"
    with pytest.raises(ValidationError, match="cannot change"):
        matter_type_save(actor=admin, matter_type=ip, code="patents", name="Patents")
    with pytest.raises(ValidationError, match="already exists"):
        matter_type_save(actor=admin, code="ip", name="Again")


def test_a_deactivated_type_is_refused_for_new_matters_but_kept_by_its_matters(admin):
    old = create(admin, "INV-9", "investigation")
    row = MatterTypeDef.objects.get(code="investigation")
    matter_type_save(
        actor=admin, matter_type=row, code="investigation", name=row.name, active=False
    )
    with pytest.raises(ValidationError) as refused:
        create(admin, "INV-10", "investigation")
    assert "matter_type" in refused.value.message_dict
    services.matter_update(actor=admin, matter=old, name="Renamed", matter_type="investigation")
    old.refresh_from_db()
    assert (old.name, old.matter_type) == ("Renamed", "investigation")
    assert "investigation" not in dict(matter_type_choices())
    assert "investigation" in dict(matter_type_choices(keep="investigation"))


def test_unknown_type_is_refused(admin):
    with pytest.raises(ValidationError, match="one of litigation"):
        create(admin, "X-1", "space-law")


def test_only_admins_manage_types(attorney, signed_in, firm_a_user):
    with pytest.raises(PermissionDenied):
        matter_type_save(actor=attorney, code="new", name="New")
    assert signed_in(attorney).get("/matters/types/").status_code == 403
    response = signed_in(firm_a_user).get("/matters/types/")
    assert response.status_code == 302 and response.url.startswith("/portal")


def test_the_admin_page(admin, signed_in):
    client = signed_in(admin)
    MatterFactory(matter_type="litigation")
    page = client.get("/matters/types/").content.decode()
    assert "Intellectual property" in page
    response = client.post(
        "/matters/types/",
        {"code": "arbitration", "name": "Arbitration", "order": 5, "active": "on"},
    )
    assert response.status_code == 302
    row = MatterTypeDef.objects.get(code="arbitration")
    response = client.post(
        f"/matters/types/{row.pk}/", {"code": "ignored", "name": "Arbitration (ICC)", "order": 6}
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.code, row.name, row.active) == ("arbitration", "Arbitration (ICC)", False)
    form = client.get("/matters/new/").content.decode()
    assert 'value="arbitration"' not in form and 'value="litigation"' in form


def test_the_matters_import_accepts_configured_types(admin):
    matter_type_save(actor=admin, code="arbitration", name="Arbitration")
    header = "client_matter_id,name,matter_type,opened,currency\n"
    ok = imports.import_file(
        actor=admin,
        kind="matters",
        name="m.csv",
        data=(header + "ARB-1,ICC case,arbitration,2026-02-01,USD\n").encode(),
    )
    assert ok.written and Matter.objects.get(number="ARB-1").matter_type == "arbitration"
    bad = imports.import_file(
        actor=admin,
        kind="matters",
        name="m.csv",
        data=(header + "ARB-2,Other,space-law,2026-02-01,USD\n").encode(),
    )
    assert not bad.written
    assert [(p.row, p.column) for p in bad.problems] == [(2, "matter_type")]


def test_routing_rules_offer_the_configured_types(admin):
    from legalops.approvals.forms import RuleForm

    matter_type_save(actor=admin, code="arbitration", name="Arbitration")
    choices = dict(RuleForm().fields["matter_types"].choices)
    assert choices["arbitration"] == "Arbitration" and "ip" in choices
