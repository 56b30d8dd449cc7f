"""Readers: files, folders, archives and API records to RawArticle / ReadError. Pure, no database."""

from __future__ import annotations

import io
import json
import random
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from ingest.readers import (
    FORMATS,
    READERS,
    RawArticle,
    ReaderOptions,
    ReadError,
    detect_format,
    estimate_count,
    read_bytes,
    read_path,
    read_records,
)
from ingest.readers import archive, decoding, fields, jsonl

# Fictional articles, written for these tests.
HARBOUR = (
    "Lowmere Council Approves Harbour Repairs\n"
    "\n"
    "The council of Lowmere voted on Tuesday to rebuild the old harbour wall before the winter storms.\n"
    "\n"
    "Mayor Edda Lindqvist said the work would start in October and cost about four million crowns.\n"
)
BAKERY = (
    "Brackwater Bakery Wins Regional Prize\n"
    "\n"
    "A family bakery in Brackwater took first place at the county fair on Saturday for its rye loaf.\n"
)
# Accents and curly quotes: the characters a cp1252 export mangles when read as UTF-8 or Latin-1.
CAFE = "Le café de Zoë Brûlé rouvre « bientôt » — “enfin”, dit-elle. C’est l’été à Vérancourt.\n"

ARTICLE_HTML = """<!doctype html>
<html lang="en"><head>
<meta charset="utf-8">
<title>Harbour Wall Rebuilt | The Lowmere Ledger</title>
<meta property="og:site_name" content="The Lowmere Ledger">
<meta property="og:title" content="Harbour Wall Rebuilt Before the Storms">
<meta name="author" content="Ansel Marrow">
<meta property="article:published_time" content="2023-04-12T08:30:00Z">
<link rel="canonical" href="https://ledger.example/harbour-wall">
<script>var tracker = "SCRIPT_SECRET_HEAD";</script>
<style>.ad { color: red }</style>
</head><body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article>
<h1>Harbour Wall Rebuilt Before the Storms</h1>
<p>Workers in the fictional port of Lowmere finished rebuilding the harbour wall on Monday, two weeks ahead of plan.</p>
<script>document.write("SCRIPT_SECRET_BODY");</script>
<p>The council said the new wall would protect about three hundred homes from the autumn floods.</p>
<p>"We can finally sleep through a storm," said Ines Carrow, who runs a net shop near the quay.</p>
</article>
<footer>Contact us at desk@ledger.example</footer>
</body></html>
"""
SCRIPT_ONLY_HTML = """<html><head><script>var a = "SCRIPT_SECRET";</script><style>p{}</style></head>
<body><script>console.log("SCRIPT_SECRET_2")</script><noscript>Please enable JavaScript.</noscript></body></html>"""

# A sample file per registered format, beside these tests; new formats add one.
FIXTURES = Path(__file__).parent / "readers_fixtures"


def articles(results) -> list[RawArticle]:
    return [result for result in results if isinstance(result, RawArticle)]


def errors(results) -> list[ReadError]:
    return [result for result in results if isinstance(result, ReadError)]


def write(path: Path, content: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return path


def make_zip(path: Path, members: dict[str, bytes], *, compression: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression) as bundle:
        for name, content in members.items():
            bundle.writestr(name, content)
    return path


def files_under(folder: Path) -> set[Path]:
    return set(folder.rglob("*"))


# --- registry and formats -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("a.txt", "txt"), ("a.TEXT", "txt"), ("notes.md", "txt"),
        ("feed.jsonl", "jsonl"), ("feed.ndjson", "jsonl"),
        ("table.csv", "csv"), ("table.TSV", "csv"),
        ("page.html", "html"), ("page.htm", "html"),
        ("bundle.zip", "zip"),
        ("scan.pdf", None), ("README", None),
    ],
)  # fmt: skip
def test_detect_format_by_extension(name, expected):
    assert detect_format(name) == expected


def test_every_format_round_trips_its_sample_file():
    samples = {detect_format(path.name): path for path in FIXTURES.glob("sample.*")}
    assert set(samples) == set(FORMATS) == set(READERS)
    for fmt, path in samples.items():
        [article] = read_path(path)
        assert isinstance(article, RawArticle), article
        assert (article.format, article.origin.split(":")[0]) == (fmt, path.name)
        assert "sailed again on Friday after a three-week pause" in article.text
        assert "Tarn Island" in (article.title or article.text)
        assert article.byline == ("" if fmt == "txt" else "Mirela Osk")  # txt metadata is left to cleaning


def test_readers_package_does_not_import_django():
    code = "import sys, ingest.readers; sys.exit(any(m.split('.')[0] == 'django' for m in sys.modules))"
    completed = subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).parents[2])
    assert completed.returncode == 0


def test_wrong_arguments_raise_at_once():
    with pytest.raises(ValueError, match="unknown format"):
        read_path("anything", fmt="docx")
    with pytest.raises(ValueError, match="unknown field"):
        ReaderOptions(column_map={"headline": "title"})
    with pytest.raises(ValueError, match="unknown text encoding"):
        ReaderOptions(encoding="klingon-8")


def test_random_bytes_never_raise_from_any_reader():
    rng = random.Random(7)
    for name in ("a.txt", "a.jsonl", "a.csv", "a.html", "a.zip", "a.tsv"):
        for size in (0, 1, 100, 5000):
            results = list(read_bytes(name, rng.randbytes(size)))
            assert results and all(isinstance(result, (RawArticle, ReadError)) for result in results)


def test_an_unexpected_reader_failure_stays_with_its_file(tmp_path, monkeypatch):
    def broken_reader(data, origin, options):
        raise RuntimeError("parser exploded")
        yield  # pragma: no cover

    monkeypatch.setitem(READERS, "html", broken_reader)
    write(tmp_path / "feeds" / "a.html", ARTICLE_HTML)
    write(tmp_path / "feeds" / "b.txt", HARBOUR)
    results = list(read_path(tmp_path / "feeds"))
    assert results[0] == ReadError("feeds/a.html", "stopped reading this file (RuntimeError: parser exploded)")
    assert results[1].origin == "feeds/b.txt" and results[1].text == HARBOUR


# --- decoding and plain text ----------------------------------------------------------------


def test_txt_is_one_article_with_the_text_as_given(tmp_path):
    [article] = read_path(write(tmp_path / "harbour.txt", HARBOUR))
    assert article == RawArticle(origin="harbour.txt", raw_text=HARBOUR, text=HARBOUR, format="txt")


def test_cp1252_text_with_accents_and_curly_quotes_decodes(tmp_path):
    [article] = read_path(write(tmp_path / "cafe.txt", CAFE.encode("cp1252")))
    assert article.text == CAFE


def test_declared_encoding_option_is_used():
    [article] = read_bytes("cafe.txt", CAFE.encode("cp1252"), options=ReaderOptions(encoding="cp1252"))
    assert article.text == CAFE
    [error] = read_bytes("cafe.txt", CAFE.encode("cp1252"), options=ReaderOptions(encoding="utf-8"))
    assert error.message.startswith("not valid UTF-8 (invalid byte 0xe9")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-8-sig", "utf-32"])
def test_byte_order_marks_decide_the_encoding(encoding):
    content = CAFE.encode(encoding)
    if encoding == "utf-16-be":
        content = b"\xfe\xff" + content
    [article] = read_bytes("cafe.txt", content)
    assert article.text == CAFE  # no BOM character left at the start


def test_windows_and_old_mac_newlines_become_newlines():
    [article] = read_bytes("a.txt", b"Line one\r\nLine two\rLine three\n")
    assert article.text == "Line one\nLine two\nLine three\n"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "PNG image"),
        (b"\x7fELF\x02\x01\x01" + bytes(200), "ELF executable"),
        (b"Some words\x00 and a NUL byte", "contains NUL bytes"),
        (bytes(b for b in random.Random(1).randbytes(4096) if b), "control bytes"),
    ],
)
def test_binary_files_are_refused(content, reason):
    [error] = read_bytes("upload.txt", content)
    assert error.message.startswith("binary file, not text (")
    assert reason in error.message


@pytest.mark.parametrize("content", [b"", b"   \n\t\r\n  "])
def test_empty_txt_file_is_an_error(tmp_path, content):
    [error] = read_path(write(tmp_path / "empty.txt", content))
    assert error == ReadError("empty.txt", "file is empty")


def test_huge_txt_file_is_refused_by_size_without_reading_it(tmp_path):
    huge = tmp_path / "dump.txt"
    with huge.open("wb") as stream:
        stream.truncate(50 * 1024 * 1024)  # sparse: 50 MB on paper, nothing on disk
    [error] = read_path(huge)
    assert "50.0 MB" in error.message and "10.0 MB" in error.message
    with huge.open("rb") as stream:
        [error] = READERS["txt"](stream, "dump.txt", ReaderOptions())
        assert stream.tell() == 0  # the size came from the file system; not one byte was read
    assert error.message.startswith("file is too large (50.0 MB")


def test_text_that_fits_no_encoding_is_an_error(monkeypatch):
    monkeypatch.setattr(decoding, "guess_encoding", lambda data: None)
    [error] = read_bytes("a.txt", "Zoë".encode("cp1252"))
    assert error.message.startswith("unknown text encoding: not UTF-8 (invalid byte 0xeb at position 2)")
    assert "--encoding" in error.message


# --- JSONL ----------------------------------------------------------------------------------


def test_jsonl_reads_fields_and_their_aliases(tmp_path):
    lines = [
        {"text": HARBOUR, "title": "Harbour", "url": "https://ledger.example/1", "byline": "Ansel Marrow",
         "published": "2023-04-12", "source": "The Lowmere Ledger", "language": "en"},
        {"body": BAKERY, "author": ["Ina Holt", "Per Vik"], "published_at": "12 April 2023",
         "outlet": "Brackwater Post", "lang": "en"},
        {"content": CAFE, "date": 2021, "extra": {"ignored": True}},
    ]  # fmt: skip
    path = write(tmp_path / "feed.jsonl", "\n".join(json.dumps(line) for line in lines) + "\n\n")
    first, second, third = read_path(path)
    assert first == RawArticle(
        origin="feed.jsonl:1", raw_text=HARBOUR, text=HARBOUR, title="Harbour", url="https://ledger.example/1",
        byline="Ansel Marrow", published="2023-04-12", source="The Lowmere Ledger", language="en", format="jsonl",
    )  # fmt: skip
    assert (second.origin, second.text, second.byline) == ("feed.jsonl:2", BAKERY, "Ina Holt, Per Vik")
    assert (second.published, second.source, second.language) == ("12 April 2023", "Brackwater Post", "en")
    assert (third.origin, third.text, third.published) == ("feed.jsonl:3", CAFE, "2021")


def test_jsonl_column_map_names_the_keys():
    line = {"story": HARBOUR, "headline": "Harbour", "text": "not the article"}
    options = ReaderOptions(column_map={"text": "story", "title": "headline"})
    [article] = read_bytes("feed.jsonl", json.dumps(line).encode(), options=options)
    assert (article.text, article.title) == (HARBOUR, "Harbour")


def test_a_malformed_jsonl_line_does_not_stop_the_others():
    content = "\n".join([json.dumps({"text": HARBOUR}), '{"text": "unterminated', json.dumps({"text": BAKERY})])
    first, bad, last = read_bytes("feed.jsonl", content.encode())
    assert bad.origin == "feed.jsonl:2"
    assert bad.message == "line 2 is not valid JSON: Unterminated string starting at column 10"
    assert (first.text, last.text, last.origin) == (HARBOUR, BAKERY, "feed.jsonl:3")


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("[1, 2]", "line 1 is not a JSON object (got a list)"),
        ('{"title": "No text"}', "line 1: no text field; found fields: title. Map one, e.g. --column text=<name>"),
        ('{"text": "   "}', "line 1: text is empty"),
        ('{"text": null}', "line 1: text is empty"),
        ('{"text": ["a"]}', "line 1: text must be a string, got a list"),
        ('{"text": "ok", "title": {"a": 1}}', "line 1: title must be text, got an object"),
    ],
)
def test_jsonl_record_problems_are_explained(line, message):
    [error] = read_bytes("feed.jsonl", line.encode())
    assert error == ReadError("feed.jsonl:1", message)


def test_jsonl_text_over_the_record_limit_is_refused(monkeypatch):
    monkeypatch.setattr(fields, "MAX_RECORD_CHARS", 100)
    content = "\n".join(json.dumps({"text": text}) for text in ("x" * 101, "y" * 100))
    error, article = read_bytes("feed.jsonl", content.encode())
    assert error.message == "line 1: text has 101 characters, more than the 100 limit; split the article"
    assert article.text == "y" * 100


def test_jsonl_line_too_long_to_hold_is_skipped_unread(monkeypatch):
    monkeypatch.setattr(jsonl, "MAX_LINE_BYTES", 200)
    content = "\n".join(json.dumps({"text": text}) for text in ("x" * 500, HARBOUR[:100]))
    error, article = read_bytes("feed.jsonl", content.encode())
    assert error.origin == "feed.jsonl:1" and error.message.startswith("line 1 is longer than")
    assert (article.origin, article.text) == ("feed.jsonl:2", HARBOUR[:100])


def test_jsonl_in_cp1252_decodes():
    content = "\n".join(json.dumps({"text": text}, ensure_ascii=False) for text in (CAFE, HARBOUR)).encode("cp1252")
    assert [article.text for article in read_bytes("feed.jsonl", content)] == [CAFE, HARBOUR]


def test_jsonl_undecodable_line_after_the_sniffed_head_is_an_error_and_the_next_still_reads():
    good = json.dumps({"text": HARBOUR}).encode() + b"\n"
    lines = 70_000 // len(good) + 1  # the encoding is sniffed from the first 64 KiB: all UTF-8 here
    content = good * lines + b'{"text": "caf\xe9"}\n' + good
    results = list(read_bytes("feed.jsonl", content))
    bad = results[lines]
    assert bad.origin == f"feed.jsonl:{lines + 1}"
    assert bad.message.startswith(f"line {lines + 1} is not valid UTF-8 (invalid byte 0xe9 at position 13)")
    assert len(articles(results)) == lines + 1 and results[-1].text == HARBOUR


def test_jsonl_in_utf16_is_read():
    content = (json.dumps({"text": CAFE}, ensure_ascii=False) + "\n").encode("utf-16")
    [article] = read_bytes("feed.jsonl", content)
    assert article.text == CAFE


def test_empty_jsonl_is_one_error():
    assert list(read_bytes("feed.jsonl", b"\n\n")) == [ReadError("feed.jsonl", "file is empty")]


class EndlessJsonl(io.RawIOBase):
    """A JSONL stream of a million records, produced on demand; counts what readers take."""

    def __init__(self) -> None:
        self.lines = (json.dumps({"text": f"Record {n}: {BAKERY}"}).encode() + b"\n" for n in range(1_000_000))
        self.pending = b""
        self.bytes_read = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while len(self.pending) < len(buffer):
            line = next(self.lines, b"")
            if not line:
                break
            self.pending += line
        count = min(len(buffer), len(self.pending))
        buffer[:count], self.pending = self.pending[:count], self.pending[count:]
        self.bytes_read += count
        return count


def test_jsonl_streams_lazily_with_bounded_reads():
    stream = EndlessJsonl()  # ~130 MB if read whole
    results = READERS["jsonl"](io.BufferedReader(stream), "feed.jsonl", ReaderOptions())
    taken = [next(results) for _ in range(1000)]
    assert taken[-1].origin == "feed.jsonl:1000" and taken[-1].text.startswith("Record 999: ")
    assert stream.bytes_read < 4 * 1024 * 1024


# --- CSV ------------------------------------------------------------------------------------


def test_csv_reads_rows_with_column_aliases(tmp_path):
    content = (
        "title,content,author,date,outlet,url\n"
        f'Harbour,"{HARBOUR}",Ansel Marrow,2023-04-12,The Lowmere Ledger,https://ledger.example/1\n'
        "\n"
        ",,,,,\n"
        f"Bakery,{BAKERY.splitlines()[2]},,,,\n"
    )
    first, second = read_path(write(tmp_path / "table.csv", content))
    assert first == RawArticle(
        origin="table.csv:row 1", raw_text=HARBOUR, text=HARBOUR, title="Harbour", byline="Ansel Marrow",
        published="2023-04-12", source="The Lowmere Ledger", url="https://ledger.example/1", format="csv",
    )  # fmt: skip
    # blank rows are skipped but counted, so row N stays spreadsheet row N + 1
    assert (second.origin, second.title) == ("table.csv:row 4", "Bakery")


def test_csv_without_a_text_column_is_one_error():
    content = b"headline,story,when\nHarbour,Workers rebuilt the wall.,Monday\nBakery,A prize.,Saturday\n"
    results = list(read_bytes("table.csv", content))
    message = "no text column; found columns: headline, story, when. Map one, e.g. --column text=<name>"
    assert results == [ReadError("table.csv", message)]


def test_csv_column_map_names_the_columns():
    content = b"Headline,Story,text\nHarbour,Workers rebuilt the wall.,ignored\n"
    options = ReaderOptions(column_map={"text": "Story", "title": "Headline"})
    [article] = read_bytes("table.csv", content, options=options)
    assert (article.text, article.title) == ("Workers rebuilt the wall.", "Harbour")


def test_csv_mapped_column_that_is_missing_is_one_error():
    options = ReaderOptions(column_map={"text": "text", "title": "Headline"})
    [error] = read_bytes("table.csv", b"text,title\nWorkers rebuilt the wall.,Harbour\n", options=options)
    assert error == ReadError("table.csv", "no column 'Headline' (mapped to title); found columns: text, title")


def test_semicolon_csv_keeps_commas_in_the_text():
    content = "title;text\nHarbour;Workers, engineers and divers rebuilt the wall, said the council.\n"
    [article] = read_bytes("table.csv", content.encode())
    assert article.text == "Workers, engineers and divers rebuilt the wall, said the council."


def test_tsv_is_tab_separated_even_with_commas_and_semicolons():
    content = "title\ttext\nHarbour\tWorkers; engineers, divers.\n"
    [article] = read_bytes("table.tsv", content.encode())
    assert (article.title, article.text) == ("Harbour", "Workers; engineers, divers.")


def test_csv_row_problems_are_reported_per_row():
    content = (
        "title,text\n"
        "Harbour,\n"
        "Bakery,A prize for rye bread.,unexpected,extra\n"
        'Multi,"First line\r\nsecond line"\n'
        "Cafe,Le café rouvre.\n"
    )
    empty, extra, multi, cafe = read_bytes("table.csv", content.encode())
    assert empty == ReadError("table.csv:row 1", "row 1 (line 2): text is empty")
    assert extra.origin == "table.csv:row 2"
    assert extra.message.startswith("row 2 (line 3) has 4 fields but the header has 2")
    assert (multi.origin, multi.text) == ("table.csv:row 3", "First line\nsecond line")
    assert (cafe.origin, cafe.text) == ("table.csv:row 4", "Le café rouvre.")


def test_csv_field_over_the_record_limit_is_one_row_error():
    content = "title,text\nHuge," + "x" * 1_000_001 + "\nSmall,A short text.\n"
    huge, small = read_bytes("table.csv", content.encode())
    assert huge.origin == "table.csv:row 1" and "field longer than" in huge.message
    assert small.text == "A short text."


def test_cp1252_csv_from_a_spreadsheet_decodes():
    content = f"title;text\r\nCafé;{CAFE.strip()}\r\n".encode("cp1252")
    [article] = read_bytes("table.csv", content)
    assert (article.title, article.text) == ("Café", CAFE.strip())


def test_csv_header_with_bom_and_stray_spaces_still_matches():
    content = "\ufefftext , Title\nWorkers rebuilt the wall.,Harbour\n".encode()
    [article] = read_bytes("table.csv", content)
    assert (article.text, article.title) == ("Workers rebuilt the wall.", "Harbour")


def test_empty_csv_is_one_error():
    [error] = read_bytes("table.csv", b"")
    assert error.origin == "table.csv" and error.message.startswith("file is empty")


# --- HTML -----------------------------------------------------------------------------------


def test_html_gives_main_text_and_metadata():
    [article] = read_bytes("page.html", ARTICLE_HTML.encode())
    assert article.raw_text == ARTICLE_HTML
    assert article.format == "html"
    assert (article.title, article.byline, article.published) == (
        "Harbour Wall Rebuilt Before the Storms", "Ansel Marrow", "2023-04-12",
    )  # fmt: skip
    assert (article.source, article.url, article.language) == (
        "The Lowmere Ledger", "https://ledger.example/harbour-wall", "en",
    )  # fmt: skip
    paragraphs = article.text.split("\n\n")
    assert paragraphs[1].startswith("Workers in the fictional port of Lowmere")
    assert paragraphs[2].startswith("The council said the new wall")
    assert paragraphs[3].startswith('"We can finally sleep through a storm,"')


def test_html_scripts_styles_and_page_furniture_never_reach_the_text():
    [article] = read_bytes("page.html", ARTICLE_HTML.encode())
    for leftover in ("SCRIPT_SECRET", "tracker", "color: red", "Home", "desk@ledger.example"):
        assert leftover not in article.text


def test_html_with_only_scripts_has_no_article_text():
    assert list(read_bytes("page.html", SCRIPT_ONLY_HTML.encode())) == [
        ReadError("page.html", "no article text found in the HTML")
    ]


def test_html_in_a_declared_legacy_encoding_decodes():
    page = ARTICLE_HTML.replace('charset="utf-8"', 'charset="iso-8859-1"').replace("Ines Carrow", "Inès Carrow")
    page = page.replace("sleep through a storm,", "sleep through a storm, café “open”,")
    [article] = read_bytes("page.html", page.encode("cp1252"))
    assert "Inès Carrow" in article.text and "café “open”" in article.text


def test_empty_html_file_is_an_error():
    assert list(read_bytes("page.htm", b"  \n")) == [ReadError("page.htm", "file is empty")]


# --- zip archives ---------------------------------------------------------------------------


def test_zip_members_are_read_in_memory_with_origins(tmp_path):
    bundle = make_zip(
        tmp_path / "bundle.zip",
        {
            "dir/a.txt": HARBOUR.encode(),
            "dir/feed.jsonl": (json.dumps({"text": BAKERY}) + "\n").encode(),
            "__MACOSX/dir/._a.txt": b"\x00\x05\x16\x07 resource fork",
            "dir/.DS_Store": b"\x00\x00\x00\x01Bud1",
            "notes.pdf": b"%PDF-1.4",
        },
    )
    results = list(read_path(bundle))
    assert [(result.origin, type(result)) for result in results] == [
        ("bundle.zip!/dir/a.txt", RawArticle),
        ("bundle.zip!/dir/feed.jsonl:1", RawArticle),
        ("bundle.zip!/notes.pdf", ReadError),
    ]
    assert results[0].text == HARBOUR and results[1].text == BAKERY
    assert results[2].message.startswith("unsupported file type .pdf; supported: .txt, .text, .md")


def test_zip_unsafe_and_nested_members_are_refused_and_nothing_is_written(tmp_path, monkeypatch):
    inner = io.BytesIO()
    make_zip(inner, {"inner.txt": BAKERY.encode()})
    bundle = make_zip(
        tmp_path / "bundle.zip",
        {
            "../evil.txt": b"escaped",
            "/etc/evil.txt": b"absolute",
            "C:/evil.txt": b"drive",
            "ok/../../evil.txt": b"climbs",
            "inner.zip": inner.getvalue(),
            "good.txt": HARBOUR.encode(),
        },
    )
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)
    before = files_under(tmp_path)
    results = {result.origin: result for result in read_path(bundle)}
    assert files_under(tmp_path) == before
    for name in ("../evil.txt", "/etc/evil.txt", "C:/evil.txt", "ok/../../evil.txt"):
        assert results[f"bundle.zip!/{name}"].message.startswith("unsafe path in archive")
    assert results["bundle.zip!/inner.zip"].message.startswith("nested archive")
    assert results["bundle.zip!/good.txt"].text == HARBOUR


def test_zip_bomb_member_is_refused_by_compression_ratio(tmp_path):
    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as bundle:
        with bundle.open("zeros.txt", "w") as member:
            for _ in range(20):
                member.write(bytes(1024 * 1024))  # streamed: 20 MB inflated, ~20 KB on disk
        bundle.writestr("good.txt", HARBOUR)
    assert path.stat().st_size < 100_000
    good, bomb = read_path(path)
    assert bomb.origin == "bomb.zip!/zeros.txt"
    assert bomb.message.startswith("compression ratio") and "zip bomb" in bomb.message
    assert good.text == HARBOUR


def test_zip_member_over_the_size_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(archive, "MAX_MEMBER_BYTES", 1000)
    members = {"big.txt": b"x" * 1001, "small.txt": b"fits"}
    bundle = make_zip(tmp_path / "b.zip", members, compression=zipfile.ZIP_STORED)
    big, small = read_path(bundle)
    assert big.origin == "b.zip!/big.txt" and "more than the 0.0 MB limit" in big.message
    assert small.text == "fits"


def test_zip_member_inflating_beyond_its_header_is_cut_off(tmp_path, monkeypatch):
    # Pretend the headers looked harmless: the capped stream must still stop the read.
    monkeypatch.setattr(archive, "_header_problem", lambda info: "")
    monkeypatch.setattr(archive, "_member_cap", lambda info: 1000)
    members = {"a.jsonl": (json.dumps({"text": "x" * 3000}) + "\n").encode(), "b.txt": b"ok"}
    bundle = make_zip(tmp_path / "b.zip", members)
    liar, good = read_path(bundle)
    assert liar.origin == "b.zip!/a.jsonl" and "more than its header says" in liar.message
    assert good.text == "ok"


def test_zip_total_size_from_the_directory_refuses_the_archive_before_reading(tmp_path, monkeypatch):
    monkeypatch.setattr(archive, "MAX_TOTAL_BYTES", 2500)
    members = {f"{n}.txt": bytes([65 + n]) * 1000 for n in range(4)}
    bundle = make_zip(tmp_path / "b.zip", members, compression=zipfile.ZIP_STORED)
    monkeypatch.setattr(zipfile.ZipFile, "open", _never_opened)
    results = list(read_path(bundle))
    assert articles(results) == []
    assert len(results) == 1 and "inflates to 0.0 MB, more than 0.0 MB; nothing read" in results[0].message


def test_zip_total_budget_still_stops_members_inflating_past_the_directory(tmp_path, monkeypatch):
    # Pretend the directory looked harmless: the budget charged while inflating must still stop it.
    monkeypatch.setattr(archive, "directory_problem", lambda members: "")
    monkeypatch.setattr(archive, "MAX_TOTAL_BYTES", 2500)
    members = {f"{n}.txt": bytes([65 + n]) * 1000 for n in range(4)}
    results = list(read_path(make_zip(tmp_path / "b.zip", members, compression=zipfile.ZIP_STORED)))
    assert [result.origin for result in articles(results)] == ["b.zip!/0.txt", "b.zip!/1.txt"]
    assert errors(results) == [ReadError("b.zip", archive._too_large_total())]


def test_zip_member_count_limit_refuses_the_archive_before_reading(tmp_path, monkeypatch):
    monkeypatch.setattr(archive, "MAX_ZIP_MEMBERS", 2)
    macos_clutter = {f"__MACOSX/._{n}.txt": b"\x00\x05" for n in range(3)}  # not counted
    fits = make_zip(tmp_path / "a.zip", {"0.txt": b"text", "1.txt": b"text", **macos_clutter})
    assert len(articles(read_path(fits))) == 2
    too_many = make_zip(tmp_path / "b.zip", {f"{n}.txt": b"text" for n in range(3)})
    monkeypatch.setattr(zipfile.ZipFile, "open", _never_opened)
    results = list(read_path(too_many))
    assert results == [ReadError("b.zip", "archive has 3 files, more than 2; nothing read. Split it")]


def test_zip_whose_members_together_compress_like_a_bomb_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(archive, "ARCHIVE_RATIO_FLOOR_BYTES", 10_000)
    members = {f"{n}.txt": b" " * 100_000 for n in range(5)}  # each under the per-member floor
    bundle = make_zip(tmp_path / "b.zip", members)
    monkeypatch.setattr(zipfile.ZipFile, "open", _never_opened)
    results = list(read_path(bundle))
    assert len(results) == 1 and "looks like a zip bomb" in results[0].message and "nothing read" in results[0].message


def _never_opened(*args, **kwargs):
    raise AssertionError("a member was opened although the directory already refused the archive")


def test_zip_symlink_member_is_refused(tmp_path):
    path = tmp_path / "b.zip"
    with zipfile.ZipFile(path, "w") as bundle:
        link = zipfile.ZipInfo("link.txt")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        bundle.writestr(link, b"/etc/passwd")
    assert list(read_path(path)) == [ReadError("b.zip!/link.txt", "symbolic link in archive; skipped")]


def test_zip_encrypted_member_is_refused(tmp_path):
    content = bytearray(make_zip(tmp_path / "plain.zip", {"locked.txt": b"ciphertext"}).read_bytes())
    # zipfile cannot write encrypted members: set the "encrypted" flag in both headers by hand
    local, central = content.index(b"PK\x03\x04"), content.index(b"PK\x01\x02")
    content[local + 6] |= 0x1
    content[central + 8] |= 0x1
    [error] = read_bytes("b.zip", bytes(content))
    assert error == ReadError("b.zip!/locked.txt", "encrypted member; decrypt the archive first")


def test_corrupt_zip_is_one_error(tmp_path):
    good = make_zip(tmp_path / "good.zip", {"a.txt": HARBOUR.encode() * 50})
    write(tmp_path / "cut.zip", good.read_bytes()[: good.stat().st_size // 2])
    write(tmp_path / "fake.zip", HARBOUR)
    for name in ("cut.zip", "fake.zip"):
        [error] = read_path(tmp_path / name)
        assert error.origin == name and error.message.startswith("not a readable zip archive")


def test_uploaded_zip_bytes_are_read_as_an_archive(tmp_path):
    bundle = make_zip(tmp_path / "upload.zip", {"a.txt": HARBOUR.encode()})
    [article] = read_bytes("upload.zip", bundle.read_bytes())
    assert article.origin == "upload.zip!/a.txt" and article.text == HARBOUR


# --- folders, forced formats, records and estimates ----------------------------------------


def make_feeds(root: Path) -> Path:
    feeds = root / "feeds"
    write(feeds / "b.txt", BAKERY)
    write(feeds / "a" / "harbour.txt", HARBOUR)
    write(feeds / "a" / "feed.jsonl", json.dumps({"text": CAFE}) + "\n" + json.dumps({"text": BAKERY}) + "\n")
    write(feeds / "c.csv", "title,text\nHarbour,Workers rebuilt the wall.\n")
    write(feeds / "scan.pdf", b"%PDF-1.4")
    write(feeds / ".hidden.txt", "secret")
    write(feeds / ".git" / "config.txt", "secret")
    write(feeds / "__MACOSX" / "._b.txt", "secret")
    make_zip(feeds / "z.zip", {"in.txt": HARBOUR.encode()})
    return feeds


def test_folder_is_read_recursively_in_name_order(tmp_path):
    results = list(read_path(make_feeds(tmp_path)))
    assert [result.origin for result in results] == [
        "feeds/a/feed.jsonl:1",
        "feeds/a/feed.jsonl:2",
        "feeds/a/harbour.txt",
        "feeds/b.txt",
        "feeds/c.csv:row 1",
        "feeds/scan.pdf",
        "feeds/z.zip!/in.txt",
    ]
    assert errors(results)[0].message.startswith("unsupported file type .pdf")
    assert all("secret" not in article.text for article in articles(results))


def test_folder_symlink_outside_is_not_followed(tmp_path):
    outside = write(tmp_path / "private" / "secret.txt", "outside the folder")
    feeds = tmp_path / "feeds"
    write(feeds / "a.txt", HARBOUR)
    (feeds / "link.txt").symlink_to(outside)
    (feeds / "linked_dir").symlink_to(outside.parent, target_is_directory=True)
    results = list(read_path(feeds))
    assert [article.origin for article in articles(results)] == ["feeds/a.txt"]
    assert {error.origin for error in errors(results)} == {"feeds/link.txt", "feeds/linked_dir"}
    assert all(error.message == "symbolic link to outside the folder; not followed" for error in errors(results))


def test_forced_format_applies_to_every_file_and_archive_member(tmp_path):
    write(tmp_path / "in" / "one.dat", HARBOUR)
    make_zip(tmp_path / "in" / "three.zip", {"inner.log": BAKERY.encode()})
    write(tmp_path / "in" / "two.log", BAKERY)
    results = list(read_path(tmp_path / "in", fmt="txt"))
    assert [(article.origin, article.format) for article in results] == [
        ("in/one.dat", "txt"),
        ("in/three.zip!/inner.log", "txt"),
        ("in/two.log", "txt"),
    ]


def test_forced_zip_format_opens_an_upload_without_extension(tmp_path):
    bundle = make_zip(tmp_path / "b.zip", {"a.txt": HARBOUR.encode(), "b.jsonl": json.dumps({"text": BAKERY}).encode()})
    results = list(read_bytes("upload", bundle.read_bytes(), fmt="zip"))
    assert [(result.origin, result.text) for result in results] == [
        ("upload!/a.txt", HARBOUR),
        ("upload!/b.jsonl:1", BAKERY),
    ]


def test_missing_path_is_an_error_not_an_exception(tmp_path):
    results = read_path(tmp_path / "nope")  # lazy: nothing happens until iterated
    assert list(results) == [ReadError(str(tmp_path / "nope"), "no such file or folder")]


def test_read_records_reads_objects_and_reports_the_rest():
    records = [
        {"text": HARBOUR, "headline": "ignored", "author": "Ansel Marrow"},
        "just a string",
        {"title": "No text"},
        {"body": BAKERY, "lang": "en"},
    ]
    first, not_object, no_text, last = read_records(records)
    assert (first.origin, first.text, first.byline, first.format) == ("request:1", HARBOUR, "Ansel Marrow", "jsonl")
    assert not_object == ReadError("request:2", "item 2 is not an object (got a string)")
    assert no_text.origin == "request:3" and no_text.message.startswith("item 3: no text field")
    assert (last.origin, last.text, last.language) == ("request:4", BAKERY, "en")


def test_read_records_with_column_map_and_a_non_list():
    options = ReaderOptions(column_map={"text": "story"})
    [article] = read_records([{"story": HARBOUR}], origin="batch", options=options)
    assert article.origin == "batch:1" and article.text == HARBOUR
    assert list(read_records({"text": HARBOUR})) == [ReadError("request", "expected a list of objects, got an object")]


def test_estimate_count_matches_what_is_read(tmp_path):
    feeds = make_feeds(tmp_path)
    assert estimate_count(feeds) == len(list(read_path(feeds))) == 7
    assert estimate_count(feeds / "a" / "feed.jsonl") == 2
    assert estimate_count(feeds / "c.csv") == 1
    assert estimate_count(feeds / "b.txt") == 1


def test_estimate_count_is_unknown_for_zipped_jsonl(tmp_path):
    bundle = make_zip(tmp_path / "b.zip", {"feed.jsonl": b'{"text": "a"}\n{"text": "b"}\n', "a.txt": b"text"})
    assert estimate_count(bundle) is None
    assert estimate_count(make_zip(tmp_path / "c.zip", {"a.txt": b"one", "b.html": b"two"})) == 2


def test_options_are_shared_by_every_file_in_a_folder(tmp_path):
    write(tmp_path / "in" / "a.csv", "headline,story\nHarbour,Workers rebuilt the wall.\n")
    write(tmp_path / "in" / "b.jsonl", json.dumps({"story": BAKERY, "headline": "Bakery"}))
    options = ReaderOptions(column_map={"text": "story", "title": "headline"})
    results = list(read_path(tmp_path / "in", options=options))
    assert [(article.title, article.format) for article in results] == [("Harbour", "csv"), ("Bakery", "jsonl")]

