"""The e-billing models, one module per concern; import them from here."""

from legalops.invoices.models.attachment import Attachment
from legalops.invoices.models.invoice import (
    OPEN_STATES,
    SUPERSEDED_STATES,
    Adjustment,
    Flag,
    GuidelinesVersion,
    Invoice,
    InvoiceFile,
    InvoiceLine,
    LineKind,
    ReasonCode,
    Source,
    State,
    StateChange,
)

__all__ = [
    "OPEN_STATES",
    "SUPERSEDED_STATES",
    "Adjustment",
    "Attachment",
    "Flag",
    "GuidelinesVersion",
    "Invoice",
    "InvoiceFile",
    "InvoiceLine",
    "LineKind",
    "ReasonCode",
    "Source",
    "State",
    "StateChange",
]
