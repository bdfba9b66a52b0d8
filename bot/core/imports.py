"""Reading a CSV or TXT file of customer feedback into rows that become notes (pure rules).

`read_import(data, file_name)` decodes the bytes, finds the format and the columns and returns
the rows with their line numbers, plus the rows it could not use and why. A file it cannot read
at all raises an `ImportRefused` error (a text key and details): nothing is imported from it.

* **Size**: at most `MAX_IMPORT_BYTES` (20 MB, what Telegram lets a bot download).
* **Encoding**: UTF-8 with or without a byte-order mark, UTF-16 with one (Excel's "Unicode
  text"); otherwise Windows-1250 or ISO-8859-2 (Polish) or Windows-1251 (Ukrainian,
  Bulgarian), told apart by how their words look (`_legacy_encoding`); anything else (KOI8…)
  is refused with a hint to save the file as UTF-8. Bytes that are none of these (a picture, a
  spreadsheet, a PDF) are refused as not text.
* **TXT**: every non-blank line is a note.
* **CSV** (also `.tsv`): the delimiter is sniffed (comma, semicolon or tab). A header row is
  recognised by its column names, in any of our languages (`text`, `review`, `tekst`, `opinia`,
  `відгук`, `отзив`…, `date`/`data`/`дата`, `author`/`autor`/`автор`…); the note is the text
  column, or the first column when there is no header. `date` and `author` are optional.
* **Rows**: a row whose text is empty, only emoji or signs, or longer than a note may be is a bad
  row (its line number and reason are reported); a date that cannot be read is left out and the
  row is kept.

`text_key(text)` is what makes two notes duplicates: the same text once folded (case, Latin
diacritics, apostrophes: `bot.core.vocabulary.fold`), blanks collapsed and end punctuation
dropped — "Kurier się spóźnił!" and "kurier sie spoznil" are the same note.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from bot.core.journey import clean_text, require_words
from bot.core.model import MAX_NOTE_LENGTH, DomainError, EmptyText, NoWords, TextTooLong
from bot.core.vocabulary import fold

MAX_IMPORT_BYTES = 20 * 1024 * 1024
CSV_SUFFIXES = (".csv", ".tsv")
TXT_SUFFIXES = (".txt", ".text")
DELIMITERS = ",;\t"
SNIFF_BYTES = 64 * 1024



def _names(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Column names, folded, per role; a header cell naming one of these words is that column.
TEXT_HEADERS = _names(
    "text note notes review reviews comment comments feedback message content body "
    "description answer opinion remark tekst tresc opinia opinie komentarz komentarze uwagi "
    "uwaga notatka wiadomosc odpowiedz текст відгук відгуки коментар коментарі нотатка "
    "повідомлення відповідь думка отзив отзиви коментари бележка съобщение мнение "
    "отговор"
)
DATE_HEADERS = _names(
    "date time created created_at timestamp day data czas дата час дата_створення "
    "създаден"
)
AUTHOR_HEADERS = _names(
    "author name customer client user reviewer from autor klient klientka imie nazwisko "
    "uzytkownik автор клієнт ім'я імя користувач клиент име потребител"
)
OTHER_HEADERS = _names(
    "id no nr number rating stars score ocena gwiazdki source zrodlo оцінка рейтинг зірки "
    "оценка звезди номер"
)
BAD_EMPTY, BAD_NO_WORDS, BAD_TOO_LONG = "empty", "no_words", "too_long"


class ImportRefused(DomainError):
    """The whole file cannot be imported; nothing is."""

    key = "import.refused"


class FileTooBig(ImportRefused):
    key = "import.too_big"


class NotAText(ImportRefused):
    """Binary data: a picture, a spreadsheet, an archive."""

    key = "import.not_text"


class UnknownEncoding(ImportRefused):
    key = "import.encoding"


class EmptyFile(ImportRefused):
    key = "import.empty"


class NoTextColumn(ImportRefused):
    key = "import.no_text_column"


class UnsupportedFile(ImportRefused):
    key = "import.unsupported"


@dataclass(frozen=True)
class ImportRow:
    line: int  # where the row starts in the file, 1-based
    text: str
    said_at: datetime | None = None
    author: str | None = None


@dataclass(frozen=True)
class BadRow:
    line: int
    reason: str  # BAD_EMPTY, BAD_NO_WORDS, BAD_TOO_LONG


@dataclass(frozen=True)
class ReadFile:
    """What a file holds: its usable rows, its bad rows, lines whose date was not understood."""

    format: str  # "csv" or "txt"
    rows: list[ImportRow]
    bad: list[BadRow] = field(default_factory=list)
    undated: list[int] = field(default_factory=list)
    encoding: str = "utf-8"


def import_format(file_name: str | None, mime_type: str | None = None) -> str:
    """"csv" or "txt" from the file's name (or its MIME type); UnsupportedFile otherwise."""
    name = (file_name or "").lower()
    if name.endswith(CSV_SUFFIXES):
        return "csv"
    if name.endswith(TXT_SUFFIXES):
        return "txt"
    mime = (mime_type or "").lower()
    if "." not in name.rpartition("/")[2]:  # no extension: the MIME type decides
        if mime in ("text/csv", "text/tab-separated-values", "application/csv"):
            return "csv"
        if mime == "text/plain":
            return "txt"
    raise UnsupportedFile(name=file_name or "?")


def read_import(data: bytes, file_name: str | None, mime_type: str | None = None) -> ReadFile:
    """The rows of a CSV or TXT file; ImportRefused (and nothing imported) if it is unusable."""
    fmt = import_format(file_name, mime_type)
    if len(data) > MAX_IMPORT_BYTES:
        raise FileTooBig(size=megabytes(len(data)), max_mb=megabytes(MAX_IMPORT_BYTES))
    text, encoding = decode(data)
    if not text.strip():
        raise EmptyFile()
    read = _read_csv(text) if fmt == "csv" else _read_txt(text)
    if not read.rows and not read.bad:
        raise EmptyFile()
    return ReadFile(read.format, read.rows, read.bad, read.undated, encoding)


def megabytes(size: int) -> str:
    """"20" for 20 MB, "0.4" for 400 KB: sizes as the errors show them."""
    value = size / (1024 * 1024)
    return f"{value:.0f}" if value >= 10 else f"{value:.1f}"


def decode(data: bytes) -> tuple[str, str]:
    """The text and the name of its encoding; NotAText or UnknownEncoding if it is not text."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as error:
            raise UnknownEncoding() from error
    if b"\x00" in data[:SNIFF_BYTES] or _looks_binary(data[:SNIFF_BYTES]):
        raise NotAText()
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    encoding = _legacy_encoding(data)
    if encoding is None:
        raise UnknownEncoding()
    return data.decode(encoding), encoding


_BINARY_SIGNATURES = (
    b"PK\x03\x04", b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\xd0\xcf\x11\xe0", b"Rar!",
    b"\x1f\x8b", b"7z\xbc\xaf",
)


def _looks_binary(head: bytes) -> bool:
    """A known binary format (zip/xlsx/docx, PDF, images, old Office, archives), or many
    control bytes."""
    if head.startswith(_BINARY_SIGNATURES):
        return True
    controls = sum(1 for byte in head if byte < 32 and byte not in (9, 10, 13, 12))
    return bool(head) and controls / len(head) > 0.01


_ISO_8859_2_LETTERS = re.compile(r"(?<=[^\W\d_])[±¶Ľ]|[±¶Ľ](?=[^\W\d_])")
_HIGH_WORD = re.compile(rb"[A-Za-z\x80-\xff]*[\x80-\xff][A-Za-z\x80-\xff]*")


def _legacy_encoding(data: bytes) -> str | None:
    """Windows-1250, ISO-8859-2 or Windows-1251, or None for none of them (KOI8, Mac…).

    Both decode almost any byte to a letter, so the words decide: Polish words in cp1250 mix a
    few non-ASCII letters into ASCII ones ("ośrodek"), Cyrillic words in cp1251 are non-ASCII
    through and through ("відгук")."""
    words = _HIGH_WORD.findall(data[: SNIFF_BYTES * 4])
    if not words:
        return None
    mixed = sum(1 for word in words if re.search(rb"[A-Za-z]", word))
    encoding = "cp1250" if mixed / len(words) > 0.5 else "cp1251"
    if encoding == "cp1250" and _ISO_8859_2_LETTERS.search(data.decode("cp1250", "replace")):
        encoding = "iso8859_2"  # ą ś ź where cp1250 has ± ¶ Ľ: the older Polish code page
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    high = [char for char in text if ord(char) > 127]
    letters = [char for char in high if char.isalpha()]
    if not high or len(letters) / len(high) <= 0.8:
        return None  # signs where letters should be: ISO-8859-2, Mac…
    lower = sum(1 for char in letters if char.islower())
    # mostly capitals: another Cyrillic code page (KOI8-U's small letters are cp1251's capitals)
    return encoding if lower / len(letters) > 0.5 else None


def _read_txt(text: str) -> ReadFile:
    rows: list[ImportRow] = []
    bad: list[BadRow] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        _take(rows, bad, number, line, None, None)
    return ReadFile("txt", rows, bad)


def _read_csv(text: str) -> ReadFile:
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records: list[tuple[int, list[str]]] = []
    line = 1
    try:
        for record in reader:
            records.append((line, record))
            line = reader.line_num + 1
    except csv.Error as error:  # a field over csv's size limit, or a NUL inside quotes
        raise NotAText() from error
    records = [(n, r) for n, r in records if any(cell.strip() for cell in r)]
    if not records:
        raise EmptyFile()
    columns = _columns(records[0][1])
    if columns is not None:
        records = records[1:]
        text_at, date_at, author_at = columns
    else:
        text_at, date_at, author_at = 0, None, None
        if not any(_has_letters(r[0]) for _, r in records if r):
            raise NoTextColumn(columns=", ".join(records[0][1])[:200])
    rows: list[ImportRow] = []
    bad: list[BadRow] = []
    undated: list[int] = []
    for number, record in records:
        cell = record[text_at] if text_at < len(record) else ""
        said_at = None
        if date_at is not None and date_at < len(record) and record[date_at].strip():
            said_at = parse_date(record[date_at])
            if said_at is None:
                undated.append(number)
        author = None
        if author_at is not None and author_at < len(record):
            author = " ".join(record[author_at].split())[:120] or None
        if not _take(rows, bad, number, cell, said_at, author) and undated[-1:] == [number]:
            undated.pop()  # a bad row is reported as bad, not as undated
    return ReadFile("csv", rows, bad, undated)


def _take(rows: list[ImportRow], bad: list[BadRow], line: int, text: str,
          said_at: datetime | None, author: str | None) -> bool:
    """Adds the row, or a bad row with its reason; True if the row is usable."""
    try:
        cleaned = require_words(clean_text(text, limit=MAX_NOTE_LENGTH))
    except EmptyText:
        bad.append(BadRow(line, BAD_EMPTY))
        return False
    except NoWords:
        bad.append(BadRow(line, BAD_NO_WORDS))
        return False
    except TextTooLong:
        bad.append(BadRow(line, BAD_TOO_LONG))
        return False
    rows.append(ImportRow(line, cleaned, said_at, author))
    return True


def sniff_delimiter(text: str) -> str:
    """Comma, semicolon or tab: what csv.Sniffer finds in the first lines, else the one of the
    three the first line has most of (a one-column file: comma)."""
    sample = text[:SNIFF_BYTES]
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        first = sample.splitlines()[0] if sample.splitlines() else ""
        counts = {d: first.count(d) for d in DELIMITERS}
        best = max(counts, key=counts.get)
        return best if counts[best] else ","


def _header_word(cell: str) -> set[str]:
    words = re.findall(r"[\w']+", fold(cell.strip().lstrip("\ufeff")))
    return set(words) | {"_".join(words)}


def _columns(cells: list[str]) -> tuple[int, int | None, int | None] | None:
    """(text, date, author) column positions if the first row is a header, else None."""
    header = [_header_word(cell) for cell in cells]
    def find(names: frozenset[str]) -> int | None:
        return next((i for i, words in enumerate(header) if words & names), None)

    text_at, date_at, author_at = find(TEXT_HEADERS), find(DATE_HEADERS), find(AUTHOR_HEADERS)
    known = TEXT_HEADERS | DATE_HEADERS | AUTHOR_HEADERS | OTHER_HEADERS
    if text_at is None and not any(words & known for words in header):
        return None
    if text_at is None:
        raise NoTextColumn(columns=", ".join(cell.strip() for cell in cells)[:200])
    return text_at, date_at, author_at


def _has_letters(cell: str) -> bool:
    return any(char.isalpha() for char in cell)


_DATE = re.compile(
    r"^\s*(?:(?P<y1>\d{4})[-./](?P<m1>\d{1,2})[-./](?P<d1>\d{1,2})"
    r"|(?P<a>\d{1,2})[-./](?P<b>\d{1,2})[-./](?P<y2>\d{4}))"
    r"(?:[ T,]+(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2}))?)?"
    r"(?:\.\d+)?\s*(?P<z>Z|UTC|[+-]\d{2}:?\d{2})?\s*$",
    re.IGNORECASE,
)


def parse_date(text: str) -> datetime | None:
    """A date (and time) as spreadsheets and exports write it: 2026-11-03, 2026-11-03 14:30,
    2026-11-03T14:30:00Z, 03.11.2026, 3/11/2026 (day first, unless the second number cannot be
    a month: 11/23/2026), in UTC; None if it is not one."""
    match = _DATE.match(text)
    if match is None:
        return None
    if match["y1"]:
        year, month, day = int(match["y1"]), int(match["m1"]), int(match["d1"])
    else:
        first, second, year = int(match["a"]), int(match["b"]), int(match["y2"])
        day, month = (second, first) if second > 12 >= first else (first, second)
    hour, minute, second_ = (int(match[k] or 0) for k in ("h", "mi", "s"))
    try:
        moment = datetime(year, month, day, hour, minute, second_, tzinfo=UTC)
    except ValueError:
        return None
    zone = (match["z"] or "").upper()
    if zone and zone not in ("Z", "UTC"):
        sign = 1 if zone[0] == "+" else -1
        digits = zone[1:].replace(":", "")
        moment -= sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    return moment


def text_key(text: str) -> str:
    """What makes two notes the same note: folded, blanks collapsed, end punctuation dropped."""
    return " ".join(fold(text).split()).strip(" .!?…;,")
