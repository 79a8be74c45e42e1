"""The one writer of every CSV and XLSX the portal serves (exports, open data, a person's data), so
no cell a person wrote is ever run by a spreadsheet as a formula (OWASP's "CSV injection").

Rows are sequences of typed cells: `str`, `int`, `float`, `Decimal`, `date`, `datetime` or `None`.

- **CSV**: text beginning with = + - @ tab or carriage return gets a leading `'`, which spreadsheets
  take as "this is text" (OWASP's advice); numbers are written as numbers (a count of -5 is not a
  formula), dates as `YYYY-MM-DD`, moments in the portal's time zone as `YYYY-MM-DD HH:MM`.
- **XLSX**: cells keep their types (numbers as numbers, dates and moments as dates, in the portal's
  time zone without an offset, since Excel has none); text is always an inline string (`t="inlineStr"`,
  openpyxl's data type "s"), never a formula, and text that would look like one carries the
  `quotePrefix` style, Excel's own leading apostrophe, which is not part of the value: nobody sees a `'`
  and editing the cell keeps it text.
"""

from __future__ import annotations

import csv
import math
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell, WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Row = Sequence[Any]


def neutralise(text: str) -> str:
    """`text` as a CSV cell a spreadsheet will show rather than run."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def _finite(value: int | float | Decimal) -> bool:
    return math.isfinite(value) if isinstance(value, float | Decimal) else True


def _naive_local(value: datetime) -> datetime:
    return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value


def csv_cell(value: Any) -> str:
    """One CSV cell: numbers as they are, dates and moments in the portal's time zone, text neutralised."""
    if value is None:
        return ""
    if _is_number(value):
        return str(value) if _finite(value) else neutralise(str(value))
    if isinstance(value, datetime):
        return _naive_local(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return neutralise(str(value))


class _Echo:
    """A file-like object whose write returns the line, for csv.writer to stream through."""

    def write(self, value: str) -> str:
        return value


def csv_lines(columns: Sequence[str], rows: Iterable[Row], *, bom: bool = True) -> Iterator[str]:
    """The CSV's lines, one at a time: the header, then each row (read from `rows` as it is written).
    `bom`: start with a byte-order mark, so spreadsheets read the file as UTF-8."""
    writer = csv.writer(_Echo())
    if bom:
        yield "\ufeff"
    yield writer.writerow([csv_cell(column) for column in columns])
    for row in rows:
        yield writer.writerow([csv_cell(cell) for cell in row])


def csv_response(
    *, filename: str, columns: Sequence[str], rows: Iterable[Row], bom: bool = True
) -> StreamingHttpResponse:
    """An attachment streamed row by row, so memory stays flat however many rows there are."""
    response = StreamingHttpResponse(csv_lines(columns, rows, bom=bom), content_type=CSV_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _text(value: str) -> str:
    """Text openpyxl can store: control characters XML forbids dropped; a carriage return becomes the
    line feed a spreadsheet would read anyway (XML turns one into the other); a tab stays."""
    return ILLEGAL_CHARACTERS_RE.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))


def xlsx_cell(sheet: WriteOnlyWorksheet, value: Any) -> Cell | Any:
    """One XLSX cell, typed: a number, a date or moment, nothing, or a cell of text that is never a formula."""
    if value is None or (_is_number(value) and _finite(value)):
        return value
    if isinstance(value, datetime):
        return _naive_local(value)
    if isinstance(value, date):
        return value
    text = str(value)
    cell = WriteOnlyCell(sheet, value=_text(text))
    cell.data_type = "s"  # openpyxl would make "=…" a formula; this keeps it an inline string
    if text.startswith(FORMULA_STARTS):
        cell.quotePrefix = True
    return cell


def xlsx_file(*, sheet: str, columns: Sequence[str], rows: Iterable[Row]) -> IO[bytes]:
    """A one-sheet workbook of `columns` then `rows` in a temporary file, at its start. Written with
    openpyxl's write-only mode (rows go to a temporary file, so memory stays flat)."""
    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(title=sheet)
    worksheet.append([xlsx_cell(worksheet, column) for column in columns])
    for row in rows:
        worksheet.append([xlsx_cell(worksheet, value) for value in row])
    out = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - FileResponse closes (and so deletes) it
    workbook.save(out)
    out.seek(0)
    return out


def xlsx_response(*, filename: str, sheet: str, columns: Sequence[str], rows: Iterable[Row]) -> FileResponse:
    """An attachment of the workbook, sent by FileResponse in blocks."""
    out = xlsx_file(sheet=sheet, columns=columns, rows=rows)
    return FileResponse(out, as_attachment=True, filename=filename, content_type=XLSX_TYPE)
