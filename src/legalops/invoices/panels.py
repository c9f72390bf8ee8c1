"""Extension points of the invoice pages: other apps add panels (the approval chain, appeals,
AP export status...) without editing the invoices templates.

    from legalops.invoices.panels import Panel, panel_register
    panel_register(Panel("approvals", "approvals/_invoice_panel.html", approval_context))

`context(user, invoice)` returns the template's context (under the name `panel`), or None to
leave the panel out for that user and invoice. `where` is "staff" (the reviewer's page,
below the header) or "portal" (the firm's invoice page, below the adjustments).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from legalops.accounts.models import User
from legalops.invoices.models import Invoice

PanelContext = Callable[[User, Invoice], dict[str, Any] | None]


@dataclass(frozen=True)
class Panel:
    key: str
    template: str
    context: PanelContext
    where: str = "staff"
    order: int = 100


PANELS: dict[str, Panel] = {}


def panel_register(panel: Panel) -> None:
    """Registers (or replaces, by key) a panel; call it from the app's `AppConfig.ready()`."""
    PANELS[panel.key] = panel


def panels_for(user: User, invoice: Invoice, where: str) -> list[tuple[Panel, dict[str, Any]]]:
    shown = []
    for panel in sorted(PANELS.values(), key=lambda p: (p.order, p.key)):
        if panel.where != where:
            continue
        context = panel.context(user, invoice)
        if context is not None:
            shown.append((panel, context))
    return shown
