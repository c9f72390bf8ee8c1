"""Reads of backtests: only for users who manage guidelines (legal ops admins); firm users,
requesters, attorneys and approvers see none. The report is sums over the stored rows (exact
integers, so SQLite sums them exactly too), grouped per rule, per firm, per matter and in
total, each per currency (amounts in different currencies are never added)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from legalops.accounts.models import User
from legalops.accounts.permissions import Capability, has_capability
from legalops.backtests.models import Backtest, BacktestInvoice, BacktestRule

Row = dict[str, Any]

_ITEM_SUMS = (
    "lines",
    "billed_minor",
    "flags",
    "flagged_lines",
    "approved_minor",
    "actual_flags",
    "actual_flagged_lines",
    "actual_approved_minor",
)
_RULE_SUMS = (
    "flags",
    "lines",
    "proposed_minor",
    "actual_flags",
    "actual_lines",
    "actual_proposed_minor",
    "actual_adjusted_minor",
)
GROUPS = {
    "firm": ("firm_id", "firm__name", "firm__law_firm_id"),
    "matter": ("matter_id", "matter__number", "matter__name"),
}


def _sum(field: str) -> Coalesce:
    return Coalesce(Sum(field), Value(0))


def backtest_list(*, user: User) -> QuerySet[Backtest]:
    if not has_capability(user, Capability.MANAGE_GUIDELINES):
        return Backtest.objects.none()
    return Backtest.objects.select_related("guidelines", "firm", "matter", "created_by")


def backtest_get(*, user: User, pk: int) -> Backtest:
    backtest = backtest_list(user=user).filter(pk=pk).first()
    if backtest is None:
        raise Http404("no such backtest")
    return backtest


def totals(backtest: Backtest) -> list[Row]:
    return _item_rows(backtest.items.all(), ())


def by_group(backtest: Backtest, group: str) -> list[Row]:
    return _item_rows(backtest.items.all(), GROUPS[group])


def _item_rows(items: QuerySet[BacktestInvoice], keys: tuple[str, ...]) -> list[Row]:
    rows = (
        items.values(*keys, "currency")
        .annotate(invoices=Count("pk"), **{name: _sum(name) for name in _ITEM_SUMS})
        .order_by(*keys[1:2], "currency")
    )
    return [_with_savings(row) for row in rows]


def _with_savings(row: Row) -> Row:
    row["saved_minor"] = row["billed_minor"] - row["approved_minor"]
    row["actual_saved_minor"] = row["billed_minor"] - row["actual_approved_minor"]
    row["difference_minor"] = row["saved_minor"] - row["actual_saved_minor"]
    row["flags_difference"] = row["flags"] - row["actual_flags"]
    return row


def by_rule(backtest: Backtest) -> list[Row]:
    """Per rule: what the backtested version would flag and propose, what the version that
    actually reviewed the invoices proposed, and what its adjustments still take off."""
    rows = (
        BacktestRule.objects.filter(item__backtest=backtest)
        .values("rule", currency=F("item__currency"))
        .annotate(
            invoices=Count("item", filter=Q(flags__gt=0)),
            actual_invoices=Count("item", filter=Q(actual_flags__gt=0)),
            **{name: _sum(name) for name in _RULE_SUMS},
        )
        .order_by("rule", "currency")
    )
    return [_rule_savings(dict(row)) for row in rows]


def _rule_savings(row: Row) -> Row:
    row["would_save_minor"] = -row["proposed_minor"]
    row["used_would_save_minor"] = -row["actual_proposed_minor"]
    row["kept_minor"] = -row["actual_adjusted_minor"]
    row["difference_minor"] = row["would_save_minor"] - row["used_would_save_minor"]
    row["flags_difference"] = row["flags"] - row["actual_flags"]
    return row


def versions_used(backtest: Backtest) -> list[Row]:
    """The guidelines versions that actually reviewed the invoices, with how many each."""
    rows = (
        backtest.items.values(
            "actual_guidelines",
            "actual_guidelines__name",
            "actual_guidelines__version",
            "actual_guidelines__status",
        )
        .annotate(invoices=Count("pk"))
        .order_by("-invoices", "actual_guidelines")
    )
    return [dict(row) for row in rows]


def backtest_items(
    backtest: Backtest,
    *,
    rule: str = "",
    firm_id: int | None = None,
    matter_id: int | None = None,
    changed_only: bool = False,
) -> QuerySet[BacktestInvoice]:
    """The replayed invoices behind a row of the report (drill-down)."""
    items = backtest.items.select_related("invoice", "firm", "matter", "actual_guidelines")
    if rule:
        items = items.filter(rules__rule=rule).annotate(
            rule_flags=Sum("rules__flags"),
            rule_proposed_minor=Sum("rules__proposed_minor"),
            rule_actual_flags=Sum("rules__actual_flags"),
            rule_actual_proposed_minor=Sum("rules__actual_proposed_minor"),
        )
    if firm_id is not None:
        items = items.filter(firm_id=firm_id)
    if matter_id is not None:
        items = items.filter(matter_id=matter_id)
    if changed_only:
        items = items.exclude(approved_minor=F("actual_approved_minor"))
    return items.annotate(
        saved=F("billed_minor") - F("approved_minor"),
        actual_saved=F("billed_minor") - F("actual_approved_minor"),
    )


def report(backtest: Backtest) -> dict[str, Any]:
    """Everything the report page, the Excel file, the API and `--json` show."""
    return {
        "totals": totals(backtest),
        "by_rule": by_rule(backtest),
        "by_firm": by_group(backtest, "firm"),
        "by_matter": by_group(backtest, "matter"),
        "versions_used": versions_used(backtest),
    }
