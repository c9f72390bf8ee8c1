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
    # platform
    SEED_LOADED = "seed.loaded"
    SCHEDULED_JOB_RAN = "schedule.job_ran"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").replace(".", ": ", 1)
