"""Writes to law firms."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from legalops.accounts.models import User
from legalops.accounts.permissions import Capability, require
from legalops.audit.events import Event
from legalops.audit.services import audit_record, changes
from legalops.core.money import MoneyError, currency
from legalops.vendors.models import LawFirm, PanelStatus

FIRM_FIELDS = ["law_firm_id", "name", "aliases", "status", "currency", "payment_terms_days"]


def _clean(fields: dict[str, Any]) -> dict[str, Any]:
    cleaned = dict(fields)
    if "currency" in cleaned:
        try:
            cleaned["currency"] = currency(cleaned["currency"]).code
        except MoneyError as exc:
            raise ValidationError({"currency": str(exc)}) from None
    if "status" in cleaned and cleaned["status"] not in PanelStatus.values:
        raise ValidationError({"status": f"one of {', '.join(PanelStatus.values)}"})
    if "aliases" in cleaned:
        cleaned["aliases"] = sorted({a.strip() for a in cleaned["aliases"] if a.strip()})
    for key in ("law_firm_id", "name"):
        if key in cleaned:
            cleaned[key] = cleaned[key].strip()
    return cleaned


@transaction.atomic
def law_firm_create(*, actor: User | None, law_firm_id: str, name: str, **fields: Any) -> LawFirm:
    require(actor, Capability.MANAGE_FIRMS)
    data = _clean({"law_firm_id": law_firm_id, "name": name, **fields})
    if LawFirm.objects.filter(law_firm_id=data["law_firm_id"]).exists():
        raise ValidationError(
            {"law_firm_id": f"a firm with LAW_FIRM_ID {data['law_firm_id']} already exists"}
        )
    firm = LawFirm(**data)
    firm.full_clean()
    firm.save()
    audit_record(
        actor=actor,
        event=Event.LAW_FIRM_CREATED,
        target=firm,
        payload={"new": {k: v for k, v in data.items()}},
    )
    return firm


@transaction.atomic
def law_firm_update(*, actor: User | None, firm: LawFirm, **fields: Any) -> LawFirm:
    require(actor, Capability.MANAGE_FIRMS)
    unknown = set(fields) - set(FIRM_FIELDS)
    if unknown:
        raise ValidationError(f"fields that cannot be edited: {', '.join(sorted(unknown))}")
    data = _clean(fields)
    diff = changes(firm, FIRM_FIELDS, data)
    for key, value in data.items():
        setattr(firm, key, value)
    firm.full_clean()
    firm.save()
    if diff["new"]:
        audit_record(actor=actor, event=Event.LAW_FIRM_UPDATED, target=firm, payload=diff)
    return firm
