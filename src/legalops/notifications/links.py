"""Links to an invoice for notifications and panels. The invoice pages belong to the invoices
app (staff) and the portal (firms); until a page exists under one of the names below, the
approval queue / appeals pages are the landing places."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse

from legalops.invoices.models import Invoice

STAFF_PAGE = "invoices:invoice_detail"
PORTAL_PAGE = "portal:invoice_detail"


def invoice_path(invoice: Invoice, *, portal: bool = False) -> str:
    try:
        return reverse(PORTAL_PAGE if portal else STAFF_PAGE, args=[invoice.pk])
    except NoReverseMatch:
        return reverse("portal:appeals:list") if portal else reverse("approvals:queue")
