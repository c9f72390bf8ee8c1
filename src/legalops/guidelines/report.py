"""Output of `legalops review`: the `--json` contract of spec/cli.md and the human report."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from datetime import date
from decimal import Decimal

from legalops.guidelines.config import Guidelines
from legalops.guidelines.money import ZERO, format_money, money_printer
from legalops.guidelines.results import Flag, InvoiceResult


def flag_json(
    flag: Flag, currency: str, printed: Callable[[Decimal], str] | None = None
) -> dict[str, object]:
    """`printed`: the currency's remembered `format_money` (money_printer), when at hand."""
    return {
        "rule": flag.rule,
        "action": flag.action,
        "amount": printed(flag.amount) if printed else format_money(flag.amount, currency),
        "message": flag.message,
        "evidence": flag.evidence,
    }


def _head(result: InvoiceResult, file: str) -> dict[str, object]:
    cur = result.currency
    invoice = result.invoice
    return {
        "file": file,
        "invoice_number": invoice.invoice_number,
        "law_firm_id": invoice.law_firm_id,
        "client_matter_id": invoice.client_matter_id,
        "currency": cur,
        "billed_total": format_money(result.billed, cur),
        "approved_total": format_money(result.approved, cur),
        "flags": [flag_json(flag, cur) for flag in result.flags],
        "skipped_rules": [{"rule": s.rule, "reason": s.reason} for s in result.skipped],
    }


def invoice_json(result: InvoiceResult, file: str) -> dict[str, object]:
    """One element of the `invoices` array (spec/cli.md)."""
    cur = result.currency
    return _head(result, file) | {
        "lines": [
            {
                "line_item_number": line.line.number,
                "line": line.line.position,
                "billed_total": format_money(line.billed, cur),
                "approved_total": format_money(line.approved, cur),
                "flags": [flag_json(flag, cur) for flag in line.flags],
            }
            for line in result.lines
        ]
    }


def invoice_json_text(result: InvoiceResult, file: str) -> str:
    """`json.dumps(invoice_json(...))`, byte for byte, built faster: an unflagged line (most of
    a 200,000-line file) becomes one formatted string instead of a dict to serialise."""
    cur = result.currency
    printed = money_printer(cur)
    rows: list[str] = []
    append = rows.append
    for item, billed_value, approved_value, line_flags in result.lines:
        billed = printed(billed_value)
        approved = billed if approved_value == billed_value else printed(approved_value)
        flags = (
            _dumps([flag_json(flag, cur, printed) for flag in line_flags]) if line_flags else "[]"
        )
        append(
            f'{{"line_item_number": {_string(item.number)}, "line": {item.position}, '
            f'"billed_total": "{billed}", "approved_total": "{approved}", "flags": {flags}}}'
        )
    return _dumps(_head(result, file))[:-1] + ', "lines": [' + ", ".join(rows) + "]}"


def _string(text: str) -> str:
    """A JSON string; plain identifiers (line numbers) skip the encoder."""
    return f'"{text}"' if text.isalnum() and text.isascii() else _dumps(text)


# json.dumps builds a new encoder on every call unless all options are defaults, and even
# JSONEncoder.encode makes a new C encoder (and a closure) per call: most of the ~15 us a
# flagged line cost. One C encoder is made once and reused; it is the very encoder `encode`
# would make (same separators, escaping and `default`), minus the circular-reference check,
# which our acyclic dicts and lists never need. Without the C module, `encode` is used.
_ENCODER = json.JSONEncoder(ensure_ascii=False)
_C_MAKE_ENCODER = getattr(json.encoder, "c_make_encoder", None)
_C_ENCODE = (
    _C_MAKE_ENCODER(
        None,
        _ENCODER.default,
        json.encoder.encode_basestring,
        None,
        _ENCODER.key_separator,
        _ENCODER.item_separator,
        False,
        False,
        True,
    )
    if _C_MAKE_ENCODER is not None
    else None
)


def _dumps(value: object) -> str:
    if _C_ENCODE is None or isinstance(value, str):
        return _ENCODER.encode(value)
    return "".join(_C_ENCODE(value, 0))


def run_json(as_of: date, guidelines: Guidelines, entries: list[str]) -> str:
    """The run's JSON from already serialised invoice entries. Insertion-ordered dicts, no
    sets, no clock: the same inputs give the same bytes."""
    top = {
        "as_of": as_of.isoformat(),
        "guidelines": {
            "name": guidelines.name,
            "version": guidelines.version,
            "sha256": guidelines.sha256,
        },
    }
    return _dumps(top)[:-1] + ', "invoices": [' + ", ".join(entries) + "]}"


def human(result: InvoiceResult, file: str) -> str:
    """Flags grouped by rule, with the money at stake, then what was skipped."""
    cur = result.currency
    invoice = result.invoice
    matter = invoice.client_matter_id or "-"
    billed, approved = format_money(result.billed, cur), format_money(result.approved, cur)
    returned = "  -- RETURNED to the firm (reject-invoice)" if result.returned else ""
    out = [
        f"{file}: invoice {invoice.invoice_number} (firm {invoice.law_firm_id}, matter {matter})",
        f"  billed {billed} {cur}, approved {approved} {cur}{returned}",
    ]
    groups: dict[str, list[tuple[str, Flag]]] = defaultdict(list)
    for flag in result.flags:
        groups[flag.rule].append(("invoice", flag))
    for line in result.lines:
        for flag in line.flags:
            groups[flag.rule].append((f"line {line.line.number}", flag))
    if not groups:
        out.append("  no flags")
    for rule, items in groups.items():
        out.extend(_group(rule, items, cur))
    for skipped in result.skipped:
        out.append(f"  skipped {skipped.rule}: {skipped.reason}")
    return "\n".join(out)


def _group(rule: str, items: list[tuple[str, Flag]], cur: str) -> list[str]:
    at_stake = sum((flag.amount for _, flag in items), ZERO)
    actions = sorted({flag.action for _, flag in items})
    head = (
        f"  [{rule}] {len(items)} flag(s), {'/'.join(actions)}, "
        f"{format_money(-at_stake if at_stake else Decimal(0), cur)} {cur} at stake"
    )
    return [head, *(f"    {where}: {flag.message}" for where, flag in items)]
