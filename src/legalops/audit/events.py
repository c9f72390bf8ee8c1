"""The catalogue of audit event types (one place, greppable; Zulip's RealmAuditLog pattern).

Values are stable strings stored in the database: add new ones, never rename.
"""

from enum import StrEnum


class Event(StrEnum):
    # accounts
    USER_CREATED = "user.created"
    USER_UPDATED = "user.updated"
    USER_DEACTIVATED = "user.deactivated"
    USER_REACTIVATED = "user.reactivated"
    USER_PASSWORD_CHANGED = "user.password_changed"
    USER_PASSWORD_RESET = "user.password_reset"
    USER_LOGGED_IN = "user.logged_in"
    USER_LOGIN_FAILED = "user.login_failed"
    USER_LOGIN_THROTTLED = "user.login_throttled"
    USER_LOGGED_OUT = "user.logged_out"
    TWO_FACTOR_ENABLED = "two_factor.enabled"
    TWO_FACTOR_DISABLED = "two_factor.disabled"
    TWO_FACTOR_RECOVERY_USED = "two_factor.recovery_code_used"
    TWO_FACTOR_RECOVERY_REGENERATED = "two_factor.recovery_codes_regenerated"
    TOKEN_CREATED = "api_token.created"
    TOKEN_REVOKED = "api_token.revoked"
    INVITATION_SENT = "invitation.sent"
    INVITATION_ACCEPTED = "invitation.accepted"
    INVITATION_REVOKED = "invitation.revoked"
    # organization
    COMPANY_UPDATED = "company.updated"
    BUSINESS_UNIT_CREATED = "business_unit.created"
    BUSINESS_UNIT_UPDATED = "business_unit.updated"
    PRACTICE_AREA_CREATED = "practice_area.created"
    PRACTICE_AREA_UPDATED = "practice_area.updated"
    CURRENCY_ENABLED = "currency.enabled"
    CURRENCY_DISABLED = "currency.disabled"
    FX_RATE_SET = "fx_rate.set"
    # vendors
    LAW_FIRM_CREATED = "law_firm.created"
    LAW_FIRM_UPDATED = "law_firm.updated"
    FIRM_CONTACT_SAVED = "firm_contact.saved"
    FIRM_CONTACT_DELETED = "firm_contact.deleted"
    FIRM_DOCUMENT_ADDED = "firm_document.added"
    TIMEKEEPER_CREATED = "timekeeper.created"
    TIMEKEEPER_UPDATED = "timekeeper.updated"
    RATE_CREATED = "rate.created"
    RATE_ENDED = "rate.ended"
    RATE_CORRECTED = "rate.corrected"
    RATE_REQUEST_CREATED = "rate_request.created"
    RATE_REQUEST_LINE_SAVED = "rate_request.line_saved"
    RATE_REQUEST_LINE_REMOVED = "rate_request.line_removed"
    RATE_REQUEST_SUBMITTED = "rate_request.submitted"
    RATE_REQUEST_WITHDRAWN = "rate_request.withdrawn"
    RATE_REQUEST_LINE_DECIDED = "rate_request.line_decided"
    RATE_REQUEST_LINE_ANSWERED = "rate_request.line_answered"
    RATE_REQUEST_DECIDED = "rate_request.decided"
    FIRM_EVALUATED = "firm.evaluated"
    # matters
    MATTER_CREATED = "matter.created"
    MATTER_UPDATED = "matter.updated"
    MATTER_STATUS_CHANGED = "matter.status_changed"
    MATTER_TEAM_CHANGED = "matter.team_changed"
    MATTER_FIRM_ASSIGNED = "matter.firm_assigned"
    MATTER_FIRM_UPDATED = "matter.firm_updated"
    MATTER_ITEM_ADDED = "matter.item_added"
    MATTER_ITEM_UPDATED = "matter.item_updated"
    BUDGET_VERSION_SUBMITTED = "budget.version_submitted"
    BUDGET_VERSION_DECIDED = "budget.version_decided"
    BUDGET_ALERT_SENT = "budget.alert_sent"
    BUDGET_THRESHOLDS_SET = "budget.thresholds_set"
    DEPARTMENT_BUDGET_SET = "department_budget.set"
    ACCRUAL_PERIOD_OPENED = "accrual_period.opened"
    ACCRUAL_PERIOD_LOCKED = "accrual_period.locked"
    ACCRUAL_REPORTED = "accrual.reported"
    ACCRUAL_REMINDERS_SENT = "accrual.reminders_sent"
    FORECAST_SET = "forecast.set"
    # imports
    DATA_IMPORTED = "data.imported"
    # e-billing (issue 6)
    GUIDELINES_LOADED = "guidelines.loaded"
    GUIDELINES_PUBLISHED = "guidelines.published"
    INVOICE_RECEIVED = "invoice.received"
    INVOICE_REVIEWED = "invoice.reviewed"
    INVOICE_STATE_CHANGED = "invoice.state_changed"
    INVOICE_FLAG_DECIDED = "invoice.flag_decided"
    INVOICE_ADJUSTED = "invoice.adjusted"
    INVOICE_ADJUSTMENT_WITHDRAWN = "invoice.adjustment_withdrawn"
    INVOICE_HISTORY_IMPORTED = "invoice.history_imported"
    INVOICE_DOCUMENTS_ATTACHED = "invoice.documents_attached"
    # platform
    SEED_LOADED = "seed.loaded"
    SCHEDULED_JOB_RAN = "schedule.job_ran"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").replace(".", ": ", 1)
