"""Reading CSV/TXT files for import (bot/core/imports.py): encodings, delimiters, headers."""

from __future__ import annotations

import codecs
from datetime import UTC, datetime

import pytest

from bot.core.imports import (
    BAD_EMPTY,
    BAD_TOO_LONG,
    EmptyFile,
    NotAText,
    NoTextColumn,
    UnknownEncoding,
    UnsupportedFile,
    parse_date,
    read_import,
    text_key,
)

ROWS = [["Kurier się spóźnił", "Jan"], ["Płatność; BLIK, nie przeszła", "Ola"]]


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1250"])
def test_delimiters_and_encodings(delimiter, encoding):
    lines = [delimiter.join(["Opinia", "Autor"])]
    lines += [delimiter.join(f'"{cell}"' if ";" in cell or "," in cell else cell for cell in row)
              for row in ROWS]
    read = read_import("\r\n".join(lines).encode(encoding), "opinie.csv")
    assert [(r.text, r.author, r.line) for r in read.rows] == [
        ("Kurier się spóźnił", "Jan", 2), ("Płatność; BLIK, nie przeszła", "Ola", 3)]


@pytest.mark.parametrize(
    ("header", "column"),
    [("review,stars", 0), ("stars,Review text", 1), ("ocena;Treść", 1), ("оцінка,Відгук", 1),
     ("звезди\tОтзив", 1), ("TEXT,date", 0)],
)
def test_localized_header_names_find_the_text_column(header, column):
    delimiter = "\t" if "\t" in header else ";" if ";" in header else ","
    row = ["5", "5"]
    row[column] = "the courier was late"
    data = f"{header}\n{delimiter.join(row)}\n".encode()
    assert [r.text for r in read_import(data, "x.csv").rows] == ["the courier was late"]


def test_without_a_header_the_first_column_is_the_text():
    read = read_import(b"the courier was late,5\nprices differ,3\n", "x.csv")
    assert [r.text for r in read.rows] == ["the courier was late", "prices differ"]


def test_bad_rows_keep_their_line_numbers():
    data = ("text,stars\nfine one,5\n,4\n" + "x" * 4001 + ",1\n\"two\nlines\",2\n\n"
            "last one,3\n").encode()
    read = read_import(data, "x.csv")
    assert [(r.line, r.text) for r in read.rows] == [(2, "fine one"), (5, "two\nlines"),
                                                     (8, "last one")]
    assert [(b.line, b.reason) for b in read.bad] == [(3, BAD_EMPTY), (4, BAD_TOO_LONG)]


@pytest.mark.parametrize(
    ("data", "name", "error"),
    [
        (b"PK\x03\x04\x14\x00\x06\x00", "export.csv", NotAText),
        (b"", "x.txt", EmptyFile),
        (codecs.BOM_UTF8 + b"\n \n", "x.csv", EmptyFile),
        (b"id;rating\n1;5\n", "x.csv", NoTextColumn),
        (b"1;5\n2;4\n", "x.csv", NoTextColumn),
        ("Кур'єр не подзвонив".encode("koi8_u"), "x.txt", UnknownEncoding),
        (b"text", "x.pdf", UnsupportedFile),
    ],
)
def test_unusable_files_are_refused(data, name, error):
    with pytest.raises(error):
        read_import(data, name)


def test_bulgarian_and_ukrainian_cp1251_are_read():
    read = read_import("Куриерът закъсня\nДоставка йшла тиждень\n".encode("cp1251"), "x.txt")
    assert [r.text for r in read.rows] == ["Куриерът закъсня", "Доставка йшла тиждень"]
    assert read.encoding == "cp1251"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-03", datetime(2026, 11, 3, tzinfo=UTC)),
        ("2026-11-03T14:30:00Z", datetime(2026, 11, 3, 14, 30, tzinfo=UTC)),
        ("2026-11-03 14:30+02:00", datetime(2026, 11, 3, 12, 30, tzinfo=UTC)),
        ("03.11.2026", datetime(2026, 11, 3, tzinfo=UTC)),
        ("3/11/2026 9:05", datetime(2026, 11, 3, 9, 5, tzinfo=UTC)),
        ("11/23/2026", datetime(2026, 11, 23, tzinfo=UTC)),
        ("2 weeks ago", None),
        ("31.02.2026", None),
    ],
)
def test_dates_as_exports_write_them(text, expected):
    assert parse_date(text) == expected


def test_duplicates_are_the_same_folded_text():
    assert text_key("Kurier się spóźnił!") == text_key("  kurier sie   SPOZNIL ")
    assert text_key("Кур’єр не подзвонив.") == text_key("кур'єр не подзвонив")
    assert text_key("courier late") != text_key("courier was late")
