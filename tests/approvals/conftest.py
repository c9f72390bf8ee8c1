from tests.approvals.ebilling import (  # noqa: F401  (fixtures)
    approved,
    bill,
    guidelines,
    intake,
    matter_a,
    matter_b,
    rate_card,
    submitted,
)
