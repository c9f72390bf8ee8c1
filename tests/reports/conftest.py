"""The e-billing fixtures (matters of firm A and B, the rate card, intake) for the insight
tests, which run invoices through the real services."""

from tests.invoices.conftest import intake, matter_a, matter_b, rate_card  # noqa: F401
