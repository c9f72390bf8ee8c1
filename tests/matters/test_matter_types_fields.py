"""Custom matter fields: global or per matter type, text/number/date/choice/yes-no, required;
checked the same from the form, the API and the import; stored per matter (JSON)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from tests.factories import LawFirmFactory

from legalops.core import imports
from legalops.matters import services
from legalops.matters.custom_fields import matter_field_save
from legalops.matters.models import Matter, MatterFirm


@pytest.fixture
def fields(admin):
    return {
        "court": matter_field_save(
            actor=admin,
            key="court",
            label="Court",
            kind="text",
            required=True,
            matter_type="litigation",
            order=1,
        ),
        "stage": matter_field_save(
            actor=admin,
            key="stage",
            label="Stage",
            kind="choice",
            choices=["pleadings", "discovery", "trial"],
            matter_type="litigation",
            order=2,
        ),
        "value": matter_field_save(
            actor=admin, key="value", label="Deal value", kind="number", order=3
        ),
        "signed": matter_field_save(
            actor=admin, key="signed", label="Signed on", kind="date", order=4
        ),
        "insured": matter_field_save(
            actor=admin, key="insured", label="Insured", kind="boolean", order=5
        ),
    }


def create(actor, number, matter_type="litigation", **custom):
    return services.matter_create(
        actor=actor,
        number=number,
        name="Test",
        matter_type=matter_type,
        opened_on=datetime.date(2026, 3, 1),
        custom_fields=custom,
    )


def problems(exc):
    return exc.value.message_dict["custom_fields"]


def test_values_are_checked_and_normalised(admin, fields):
    matter = create(
        admin,
        "LIT-1",
        court="S.D.N.Y.",
        stage="discovery",
        value="1250000.50",
        signed="2026-02-03",
        insured="yes",
    )
    matter.refresh_from_db()
    assert matter.custom_fields == {
        "court": "S.D.N.Y.",
        "stage": "discovery",
        "value": "1250000.50",
        "signed": "2026-02-03",
        "insured": True,
    }


def test_required_wrong_and_foreign_values_are_all_named(admin, fields):
    with pytest.raises(ValidationError) as refused:
        create(admin, "LIT-2", stage="appeal", value="lots", signed="03/02/2026", insured="maybe")
    assert problems(refused) == [
        "court: Court is required",
        "stage: Stage must be one of pleadings, discovery, trial",
        "value: Deal value must be a number",
        "signed: Signed on must be a date (YYYY-MM-DD)",
        "insured: Insured must be yes or no",
    ]
    with pytest.raises(ValidationError) as foreign:
        create(admin, "ADV-1", matter_type="advisory", colour="red")
    assert problems(foreign) == ["colour: no such field"]
    other = create(admin, "ADV-2", matter_type="advisory", court="Delaware", value="1")
    assert other.custom_fields == {"value": "1"}  # court is a litigation field: dropped
    other.delete()
    assert Matter.objects.count() == 0


def test_a_type_change_keeps_only_the_new_types_fields(admin, fields):
    matter = create(admin, "LIT-3", court="Delaware", value="10")
    services.matter_update(actor=admin, matter=matter, matter_type="advisory")
    matter.refresh_from_db()
    assert matter.custom_fields == {"value": "10"}
    with pytest.raises(ValidationError) as refused:
        services.matter_update(actor=admin, matter=matter, matter_type="litigation")
    assert problems(refused) == ["court: Court is required"]


def test_field_definitions(admin, attorney, fields):
    with pytest.raises(ValidationError, match="needs its options"):
        matter_field_save(actor=admin, key="tier", label="Tier", kind="choice")
    with pytest.raises(ValidationError, match="cannot change"):
        matter_field_save(actor=admin, field=fields["court"], key="venue", label="V", kind="text")
    with pytest.raises(ValidationError, match="no matter type"):
        matter_field_save(actor=admin, key="x", label="X", kind="text", matter_type="space")
    with pytest.raises(PermissionDenied):
        matter_field_save(actor=attorney, key="y", label="Y", kind="text")


def test_the_form_and_the_page(admin, signed_in, fields):
    client = signed_in(admin)
    form = client.get("/matters/new/").content.decode()
    assert 'name="cf_court"' in form and 'name="cf_insured"' in form
    body = {
        "number": "LIT-9",
        "name": "Acme",
        "matter_type": "litigation",
        "opened_on": "2026-03-01",
        "currency": "USD",
        "cf_stage": "trial",
        "cf_value": "99.5",
        "cf_insured": "on",
    }
    missing = client.post("/matters/new/", body)
    assert missing.status_code == 200 and "Court is required" in missing.content.decode()
    response = client.post("/matters/new/", {**body, "cf_court": "N.D. Cal."})
    assert response.status_code == 302, response.content.decode()[:2000]
    matter = Matter.objects.get(number="LIT-9")
    assert matter.custom_fields["court"] == "N.D. Cal." and matter.custom_fields["insured"] is True
    page = client.get(f"/matters/{matter.pk}/").content.decode()
    assert "N.D. Cal." in page and "Deal value" in page and "99.5" in page
    edit = client.get(f"/matters/{matter.pk}/edit/").content.decode()
    assert 'value="N.D. Cal."' in edit


def test_the_import_reads_extra_columns(admin, fields):
    header = "client_matter_id,name,matter_type,opened,currency,court,stage,value\n"

    def run(text):
        return imports.import_file(actor=admin, kind="matters", name="m.csv", data=text.encode())

    ok = run(header + "LIT-5,Acme,litigation,2026-02-01,USD,Delaware,trial,12.00\n")
    assert ok.written, [str(p) for p in ok.problems]
    matter = Matter.objects.get(number="LIT-5")
    assert matter.custom_fields == {"court": "Delaware", "stage": "trial", "value": "12.00"}
    bad = run(header + "LIT-6,Beta,litigation,2026-02-01,USD,Delaware,appeal,12\n")
    assert not bad.written
    assert [(p.row, p.column) for p in bad.problems] == [(2, "stage")]
    partial = "client_matter_id,name,matter_type,opened,currency,stage\n"
    assert run(partial + "LIT-5,Acme,litigation,2026-02-01,USD,discovery\n").written
    matter.refresh_from_db()
    assert matter.custom_fields == {"court": "Delaware", "stage": "discovery", "value": "12.00"}
    again = run(partial + "LIT-5,Acme,litigation,2026-02-01,USD,discovery\n")
    assert again.summary == "0 created, 0 updated, 1 unchanged"


def test_the_api(client, api_token, admin, firm_a_user, firm_a, fields):
    headers = {"authorization": f"Bearer {api_token(admin)}"}
    body = {
        "number": "LIT-7",
        "name": "Acme",
        "matter_type": "litigation",
        "opened_on": "2026-03-01",
        "custom_fields": {"court": "Delaware", "value": "5"},
    }
    created = client.post("/api/v1/matters", body, content_type="application/json", headers=headers)
    assert created.status_code == 201, created.content
    assert created.json()["custom_fields"] == {"court": "Delaware", "value": "5"}
    pk = created.json()["id"]
    patched = client.patch(
        f"/api/v1/matters/{pk}",
        {"custom_fields": {"stage": "trial"}},
        content_type="application/json",
        headers=headers,
    )
    assert patched.json()["custom_fields"] == {"court": "Delaware", "value": "5", "stage": "trial"}
    refused = client.post(
        "/api/v1/matters",
        {**body, "number": "LIT-8", "custom_fields": {}},
        content_type="application/json",
        headers=headers,
    )
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["loc"] == ["body", "custom_fields"]
    MatterFirm.objects.create(matter_id=pk, firm=firm_a)
    firm = client.get(
        f"/api/v1/matters/{pk}", headers={"authorization": f"Bearer {api_token(firm_a_user)}"}
    )
    assert firm.status_code == 200 and firm.json()["custom_fields"] is None


def test_admin_pages(admin, signed_in, attorney):
    client = signed_in(admin)
    response = client.post(
        "/matters/fields/",
        {
            "key": "tier",
            "label": "Tier",
            "kind": "choice",
            "choices": "gold; silver",
            "matter_type": "",
            "order": 1,
            "active": "on",
        },
    )
    assert response.status_code == 302
    page = client.get("/matters/fields/").content.decode()
    assert "gold, silver" in page
    assert signed_in(attorney).get("/matters/fields/").status_code == 403
    LawFirmFactory()
