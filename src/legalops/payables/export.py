"""A batch as a file: CSV (UTF-8 with BOM, so Excel opens it with accents intact) or Excel
(XlsxWriter: real dates and numbers, a frozen header row). Both read the values frozen in the
batch, so downloading again gives the same content."""

from __future__ import annotations

import csv
import io

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from legalops.payables.layout import BY_KEY, csv_text, typed
from legalops.payables.models import ApBatch
from legalops.payables.selectors import batch_lines

EXCEL_DATES = {"%Y-%m-%d": "yyyy-mm-dd", "%m/%d/%Y": "mm/dd/yyyy", "%d/%m/%Y": "dd/mm/yyyy"}


def _rows(batch: ApBatch) -> list[dict[str, str]]:
    return [line.values for line in batch_lines(batch)]


def batch_csv(batch: ApBatch) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([header for _, header in batch.columns])
    for values in _rows(batch):
        writer.writerow(
            [csv_text(key, values.get(key, ""), batch.date_format) for key, _ in batch.columns]
        )
    return ("\ufeff" + out.getvalue()).encode()


def batch_xlsx(batch: ApBatch) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet(batch.number)
    bold = book.add_format({"bold": True})
    date = book.add_format({"num_format": EXCEL_DATES.get(batch.date_format, "yyyymmdd")})
    amount = book.add_format({"num_format": "#,##0.00##"})
    for col, (_, header) in enumerate(batch.columns):
        sheet.write_string(0, col, header, bold)
        sheet.set_column(col, col, max(12, len(header) + 2))
    for row, values in enumerate(_rows(batch), start=1):
        for col, (key, _) in enumerate(batch.columns):
            _cell(sheet, row, col, key, values.get(key, ""), date, amount)
    sheet.freeze_panes(1, 0)
    book.close()
    return buffer.getvalue()


def _cell(
    sheet: Worksheet, row: int, col: int, key: str, text: str, date: Format, amount: Format
) -> None:
    value = typed(key, text)
    kind = BY_KEY[key].kind if key in BY_KEY else "text"
    if kind == "date" and value:
        sheet.write_datetime(row, col, value, date)
    elif kind == "amount" and value != "":
        sheet.write_number(row, col, float(value), amount)  # Excel numbers are doubles
    else:
        sheet.write_string(row, col, str(value))
