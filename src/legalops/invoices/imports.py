"""`legalops import ledes` and `legalops import history`: imported by
`legalops.core.imports` on first use of the import registry."""

from legalops.invoices import history, ledes_import

ledes_import.register()
history.register()
