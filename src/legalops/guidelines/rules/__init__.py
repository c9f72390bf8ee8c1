"""The rule catalogue, in the order of spec/guidelines.md (flags are listed in this order)."""

from __future__ import annotations

from legalops.guidelines.rules.base import Finding, Reduction, Rule, Run
from legalops.guidelines.rules.budget import OverBudget
from legalops.guidelines.rules.expenses import DisallowedExpense, ExpenseCap
from legalops.guidelines.rules.integrity import (
    CurrencyMismatch,
    DuplicateInvoice,
    DuplicateLine,
    InvalidUtbmsCode,
    MatterClosed,
    MissingUtbmsCode,
)
from legalops.guidelines.rules.narrative import (
    BillingAdministration,
    BlockBilling,
    ClericalWork,
    InternalConference,
    LearningCurve,
    LegalResearch,
    LuxuryTravel,
    NonWorkingTravel,
    VagueDescription,
    WorkBelowLevel,
)
from legalops.guidelines.rules.period import (
    BillingPeriodSpansMonths,
    FutureDatedLine,
    LateInvoice,
    LineOutsideBillingPeriod,
    StaleLine,
)
from legalops.guidelines.rules.ratecard import (
    DisallowedClassification,
    RateAboveApproved,
    UnapprovedTimekeeper,
)
from legalops.guidelines.rules.staffing import MultipleAttendance
from legalops.guidelines.rules.timeentry import DailyHoursCap, LongEntry, TimeIncrement

CATALOGUE: tuple[Rule, ...] = (
    LineOutsideBillingPeriod(),
    BillingPeriodSpansMonths(),
    LateInvoice(),
    StaleLine(),
    FutureDatedLine(),
    DuplicateInvoice(),
    DuplicateLine(),
    MatterClosed(),
    MissingUtbmsCode(),
    InvalidUtbmsCode(),
    CurrencyMismatch(),
    UnapprovedTimekeeper(),
    RateAboveApproved(),
    DisallowedClassification(),
    TimeIncrement(),
    DailyHoursCap(),
    LongEntry(),
    BlockBilling(),
    VagueDescription(),
    ClericalWork(),
    InternalConference(),
    LearningCurve(),
    BillingAdministration(),
    LegalResearch(),
    NonWorkingTravel(),
    WorkBelowLevel(),
    MultipleAttendance(),
    DisallowedExpense(),
    ExpenseCap(),
    LuxuryTravel(),
    OverBudget(),
)
BY_ID: dict[str, Rule] = {rule.id: rule for rule in CATALOGUE}
ORDER: dict[str, int] = {rule.id: position for position, rule in enumerate(CATALOGUE)}

__all__ = ["BY_ID", "CATALOGUE", "ORDER", "Finding", "Reduction", "Rule", "Run"]
