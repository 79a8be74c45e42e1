"""What an uploaded evidence file is, judged from its content, not its name.

PDF, XLSX, CSV and DOCX only, 25 MB at most. A PDF starts with %PDF-; XLSX and DOCX are zip
packages with the parts Office writes (read from the zip's directory, never decompressed, so a zip
bomb is refused by its declared sizes before any of it is inflated); a CSV is UTF-8 text that is
not markup.
"""

from __future__ import annotations

import csv
import io
import zipfile
from typing import IO

from core.exceptions import ApplicationError

MAX_UPLOAD_BYTES = 25 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024  # the parts of a package, added up
MAX_RATIO = 100  # an entry over 1 MB that inflates more than this is a bomb, not a spreadsheet
MAX_ENTRIES = 5000
EXTENSIONS = {"pdf", "xlsx", "csv", "docx"}
NAMES = {"pdf": "a PDF", "xlsx": "an Excel workbook (XLSX)", "csv": "a CSV file", "docx": "a Word document (DOCX)"}
OFFICE_PARTS = {"xlsx": "xl/workbook.xml", "docx": "word/document.xml"}


def _refuse(message: str) -> ApplicationError:
    return ApplicationError(message, field="file")


def detect_file_type(name: str, size: int, stream: IO[bytes]) -> str:
    """The file's type (pdf, xlsx, csv, docx), or ApplicationError saying why it is refused."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in EXTENSIONS:
        raise _refuse(f"“{name}” is not a PDF, XLSX, CSV or DOCX file. Upload a file of one of those types.")
    if size > MAX_UPLOAD_BYTES:
        raise _refuse(f"“{name}” is {size / 1024 / 1024:.1f} MB. The file must be 25 MB or smaller.")
    if size == 0:
        raise _refuse(f"“{name}” is empty. Upload the file again.")
    stream.seek(0)
    head = stream.read(8192)
    stream.seek(0)
    if extension == "pdf":
        if not head.startswith(b"%PDF-"):
            raise _refuse(f"“{name}” is named as a PDF but its content is not a PDF. Upload the PDF itself.")
    elif extension in OFFICE_PARTS:
        claimed = NAMES[extension]
        if not head.startswith(b"PK\x03\x04"):
            raise _refuse(f"“{name}” is named as {claimed} but its content is not one. Upload the file itself.")
        _check_package(name, extension, stream)
    else:
        _check_csv(name, head)
    stream.seek(0)
    return extension


def _check_package(name: str, extension: str, stream: IO[bytes]) -> None:
    claimed = NAMES[extension]
    try:
        with zipfile.ZipFile(stream) as package:
            entries = package.infolist()
            if len(entries) > MAX_ENTRIES:
                raise _refuse(f"“{name}” holds {len(entries):,} parts, too many for {claimed}.")
            total = 0
            for entry in entries:
                total += entry.file_size
                ratio = entry.file_size / max(entry.compress_size, 1)
                if total > MAX_UNCOMPRESSED_BYTES or (entry.file_size > 1024 * 1024 and ratio > MAX_RATIO):
                    raise _refuse(
                        f"“{name}” would expand to far more than its size (a “zip bomb”), so it was refused. "
                        f"Upload {claimed} of ordinary size."
                    )
            names = {entry.filename for entry in entries}
    except zipfile.BadZipFile as error:
        raise _refuse(f"“{name}” is damaged or not {claimed}. Upload the file again.") from error
    if "[Content_Types].xml" not in names or OFFICE_PARTS[extension] not in names:
        raise _refuse(f"“{name}” is a zip file but not {claimed}. Upload the document itself.")


def _check_csv(name: str, head: bytes) -> None:
    if b"\x00" in head:
        raise _refuse(f"“{name}” is named as a CSV file but holds binary data. Upload a CSV text file.")
    try:
        text = head.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        # A multi-byte character cut by the 8 KB window is fine; anything earlier is not UTF-8.
        if error.start < len(head) - 4:
            raise _refuse(f"“{name}” is not UTF-8 text. Save it as “CSV UTF-8” and upload it again.") from error
        text = head[: error.start].decode("utf-8-sig")
    if text.lstrip().startswith("<"):
        raise _refuse(f"“{name}” is named as a CSV file but holds markup (HTML or XML). Upload a CSV text file.")
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error as error:
        raise _refuse(f"“{name}” is not a readable CSV file: {error}.") from error
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise _refuse(f"“{name}” has no header row. Upload a CSV file whose first row names its columns.")
