from django.apps import AppConfig


class ApprovalsConfig(AppConfig):
    name = "legalops.approvals"
    label = "approvals"
    verbose_name = "Approval routing"

    def ready(self) -> None:
        # Approvers see the invoices routed to them (or to whom they stand in for). The
        # reminder/escalation job (tasks.py) registers on first use of the schedule.
        from legalops.approvals import selectors
        from legalops.invoices.selectors import APPROVER_SCOPES

        if selectors.routed_to not in APPROVER_SCOPES:
            APPROVER_SCOPES.append(selectors.routed_to)
