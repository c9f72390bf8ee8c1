from django.apps import AppConfig


class ApprovalsConfig(AppConfig):
    name = "legalops.approvals"
    label = "approvals"
    verbose_name = "Approval routing"

    def ready(self) -> None:
        # Approvers see the invoices routed to them (or to whom they stand in for), and the
        # worker runs the reminder/escalation job.
        from legalops.approvals import selectors, tasks  # noqa: F401
        from legalops.invoices.selectors import APPROVER_SCOPES

        if selectors.routed_to not in APPROVER_SCOPES:
            APPROVER_SCOPES.append(selectors.routed_to)
