"""Export formats: every registered format written and read back. Pure, no database."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
import spacy
from spacy.tokens import DocBin
from spacy.training import Example

from annotations.datasets.formats import FORMATS, ExportRecord, Labels, Span
from annotations.datasets.formats.conll import DOCSTART
from annotations.datasets.formats.nlp import pipeline
from annotations.datasets.importers import parse_labels

ROOT = Path(__file__).resolve().parents[3]

# Fictional articles, written for these tests: emoji (one with a variation selector, one a ZWJ
# family), an astral letter (𝔏, outside the Basic Multilingual Plane), right-to-left text.
HARBOUR = (
    "Lowmere Harbour Reopens\n\n"
    "Mayor Edda Lindqvist 🎉 cut the ribbon in Lowmere on Monday. "
    "The ferry 🛳️ Saga sailed to 𝔏ighthouse Point at noon.\n"
)
MARKET = "Bakers from Brackwater 👩‍👩‍👧 sold bread at the Lowmere market, said Tomas Brenn. Prices rose."
ARABIC = "قال رئيس بلدية لوميري إن الميناء 🚢 سيفتح يوم الاثنين. وأضاف سامي حداد أن العمل انتهى."
HEBREW = "ראש העיר אדה לינדקוויסט פתחה את הנמל בלומרה."


def span(text: str, part: str, label: str, nth: int = 0, sentiment: str | None = None) -> Span:
    """The span of the nth occurrence of part in text."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(part, start + 1)
    return Span(start=start, end=start + len(part), label=label, text=part, sentiment=sentiment)


def record(article_id: int, text: str, spans=(), *, sentiment="neutral", topics=(), **fields) -> ExportRecord:
    gold = Labels(sentiment=sentiment, topics=tuple(topics), spans=tuple(spans))
    values = dict(title=f"Story {article_id}", source="Lowmere Courier", url=f"https://courier.example/{article_id}")
    values |= dict(published_at="2024-03-04T09:30:00+01:00", byline="", dateline="", language="en", gold=gold)
    return ExportRecord(article_id=article_id, text=text, **(values | fields))


def sample_records() -> list[ExportRecord]:
    """Gold spans that all fit spaCy's English tokens: every format must keep all of them."""
    return [
        record(1, HARBOUR, [span(HARBOUR, "Edda Lindqvist", "PER", sentiment="positive"),
                            span(HARBOUR, "Lowmere", "LOC", 1),
                            span(HARBOUR, "Saga", "VESSEL"),
                            span(HARBOUR, "𝔏ighthouse Point", "LOC")],
               sentiment="positive", topics=["Local/Harbour", "Transport"]),
        record(2, MARKET, [span(MARKET, "Brackwater", "LOC"), span(MARKET, "Tomas Brenn", "PER")],
               sentiment="negative", topics=["Economy"]),
        record(3, ARABIC, [span(ARABIC, "لوميري", "LOC"), span(ARABIC, "سامي حداد", "PER")], language="ar"),
        record(4, HEBREW, [span(HEBREW, "אדה לינדקוויסט", "PER")], sentiment=None, language="he"),
    ]


def write(name: str, records) -> tuple[bytes, dict]:
    exporter = FORMATS[name]()
    data = b"".join(exporter.write(records))
    return data, exporter.summary


# Readers used by the tests, one per registered format: what the file says about each document.
def read_jsonl(data: bytes, texts: list[str]) -> list[set]:
    documents = [item for item in parse_labels(data, fmt="newsroom") if item.annotator is None]
    return [{(s.start, s.end, s.label) for s in doc.labels.spans} for doc in documents]


def read_conll(data: bytes, texts: list[str]) -> list[set]:
    """Entities as (start, end, label) found by re-locating each token in its document's text."""
    blocks = data.decode("utf-8").split(DOCSTART + "\n")[1:]
    assert len(blocks) == len(texts)
    return [_conll_entities(block, text) for block, text in zip(blocks, texts)]


def _conll_entities(block: str, text: str) -> set:
    entities, position, current = set(), 0, None
    for line in block.splitlines():
        if not line:
            continue
        token, pos, chunk, tag = line.split(" ")
        assert (pos, chunk) == ("-X-", "_")
        start = text.index(token, position)
        assert not text[position:start].strip(), f"token {token!r} is not the next one in the text"
        position = start + len(token)
        if tag.startswith("I-") and current and current[2] == tag[2:]:
            current[1] = position
            continue
        if current:
            entities.add(tuple(current))
        current = [start, position, tag[2:]] if tag != "O" else None
    if current:
        entities.add(tuple(current))
    return entities


def read_docbin(data: bytes, texts: list[str]) -> list[set]:
    docs = list(DocBin().from_bytes(data).get_docs(pipeline().vocab))
    assert [doc.text for doc in docs] == texts
    return [{(e.start_char, e.end_char, e.label_) for e in doc.ents} for doc in docs]


def read_csv(data: bytes, texts: list[str]) -> list[set]:
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))
    assert [row["text"] for row in rows] == texts
    assert all(int(row["span_count"]) == len(json.loads(row["spans"])) for row in rows)
    return [{(s["start"], s["end"], s["label"]) for s in json.loads(row["spans"])} for row in rows]


READ_BACK = {"jsonl": read_jsonl, "conll": read_conll, "spacy": read_docbin, "csv": read_csv}


def test_every_registered_format_has_a_read_back_test():
    assert set(READ_BACK) == set(FORMATS)


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_every_format_round_trips_the_sample_records(name):
    records = sample_records()
    data, summary = write(name, records)
    found = READ_BACK[name](data, [r.text for r in records])
    assert found == [{(s.start, s.end, s.label) for s in r.gold.spans} for r in records]
    assert summary["documents"] == 4
    assert summary["spans"] == 9
    assert (summary["spans_misaligned"], summary["spans_overlapping"]) == (0, 0)
    assert FORMATS[name].media_type and FORMATS[name].extension


def test_jsonl_round_trip_keeps_every_label_and_offset_exactly():
    records = sample_records()
    records[0] = replace(records[0], annotations=(("ana", Labels(None, (), records[0].gold.spans[:1])),))
    data, _ = write("jsonl", records)

    imported = list(parse_labels(data, fmt="newsroom", origin="release.jsonl"))

    gold = [doc for doc in imported if doc.annotator is None]
    assert [doc.labels for doc in gold] == [r.gold for r in records]
    assert [doc.text for doc in gold] == [r.text for r in records]
    assert [(doc.title, doc.url, doc.published_at, doc.language, doc.external_id) for doc in gold] == [
        (r.title, r.url, r.published_at, r.language, str(r.article_id)) for r in records
    ]
    (ana,) = [doc for doc in imported if doc.annotator == "ana"]
    assert ana.labels.spans == (span(HARBOUR, "Edda Lindqvist", "PER", sentiment="positive"),)
    assert ana.origin == "release.jsonl:1"


def test_jsonl_keeps_one_record_per_line_whatever_the_text_holds():
    text = "Line\u2028separator, next\u0085line, paragraph\u2029end, and a tab\there 😀."
    records = [record(1, text, [span(text, "😀", "EMOJI")]), record(2, "Second.")]
    data, _ = write("jsonl", records)

    assert len(data.decode("utf-8").splitlines()) == 2
    assert json.loads(data.splitlines()[0])["text"] == text
    (doc, _second) = parse_labels(data, fmt="newsroom")
    assert doc.labels.spans == records[0].gold.spans


def test_jsonl_writes_undefined_agreement_as_null_and_gold_none_as_null():
    data, summary = write("jsonl", [record(7, "Quiet day.", gold=None, agreement={"alpha": float("nan"), "n": 2})])

    line = json.loads(data)
    assert line["gold"] is None
    assert line["agreement"] == {"alpha": None, "n": 2}
    assert summary["documents_without_gold"] == 1


def test_conll_leaves_out_misaligned_spans_and_counts_them():
    text = "Kim Jong-un's envoy met Ilse Varga in Lowmere."
    gold = [
        Span(4, 10, "PER", "Jong-u"),  # ends inside the token "Jong-un" (a hyphenated word is one token)
        span(text, "owmere", "LOC"),  # starts mid-word
        span(text, " Ilse Varga", "PER"),  # starts on a space
        span(text, "Ilse Varga", "PER"),
    ]
    paragraphs = "Storm over Brackwater.\n\nLowmere calm."
    edge = span(paragraphs, "\n\nLowmere", "LOC")  # starts on a whitespace token: spaCy will not train on it
    data, summary = write("conll", [record(42, text, gold), record(43, paragraphs, [edge])])

    assert read_conll(data, [text, paragraphs]) == [{(24, 34, "PER")}, set()]
    assert summary["spans_misaligned"] == 4
    assert summary["spans"] == 1
    assert {(s["article_id"], s["start"], s["end"], s["reason"]) for s in summary["skipped_spans"]} == {
        (42, 4, 10, "misaligned"), (42, 39, 45, "misaligned"), (42, 23, 34, "misaligned"), (43, 22, 31, "misaligned")
    }
    assert "Jong-un -X- _ O\n" in data.decode() and "Lowmere -X- _ O\n" in data.decode()


def test_conll_keeps_the_first_of_overlapping_spans():
    text = "The Lowmere Harbour Board met."
    gold = [span(text, "Lowmere", "LOC"), span(text, "Lowmere Harbour Board", "ORG"),
            span(text, "Harbour Board", "ORG")]
    data, summary = write("conll", [record(5, text, gold)])

    assert read_conll(data, [text]) == [{(4, 25, "ORG")}]
    assert summary["spans_overlapping"] == 2


def test_conll_breaks_sentences_and_paragraphs_but_never_inside_an_entity():
    text = "Storm Hits Lowmere\nThe ferry stayed in port. Wham! Studios filmed it.\tNo one was hurt."
    data, _ = write("conll", [record(1, text, [span(text, "Wham! Studios", "ORG")])])

    sentences = [block.split("\n") for block in data.decode().split(DOCSTART + "\n\n")[1].strip().split("\n\n")]
    assert [[line.split(" ")[0] for line in sentence] for sentence in sentences] == [
        ["Storm", "Hits", "Lowmere"],
        ["The", "ferry", "stayed", "in", "port", "."],
        ["Wham", "!", "Studios", "filmed", "it", "."],
        ["No", "one", "was", "hurt", "."],
    ]
    assert sentences[2][:3] == ["Wham -X- _ B-ORG", "! -X- _ I-ORG", "Studios -X- _ I-ORG"]


def test_conll_lines_always_have_four_columns_and_documents_without_gold_are_left_out():
    text = "Odd  spacing\u00a0and\ttabs \u3000 and label with space: Lowmere.\n\n\n"
    records = [record(1, text, [span(text, "Lowmere", "PLACE NAME")]), record(2, "Unlabelled.", gold=None)]
    data, summary = write("conll", records)

    lines = [line for line in data.decode().split("\n") if line]
    assert all(len(line.split(" ")) == 4 for line in lines)
    assert "Lowmere -X- _ B-PLACE_NAME" in lines
    assert data.decode().count(DOCSTART) == 1
    assert (summary["documents"], summary["documents_without_gold"]) == (1, 1)


def test_docbin_has_exactly_the_gold_entities_cats_and_article_ids():
    records = sample_records()
    data, summary = write("spacy", records)

    docs = list(DocBin().from_bytes(data).get_docs(spacy.blank("en").vocab))

    assert [{(e.text, e.label_) for e in doc.ents} for doc in docs] == [
        {(s.text, s.label) for s in r.gold.spans} for r in records
    ]
    assert [doc.user_data["article_id"] for doc in docs] == [1, 2, 3, 4]
    assert docs[0].cats == {"Local/Harbour": 1.0, "Transport": 1.0, "Economy": 0.0, "sentiment:positive": 1.0,
                            "sentiment:negative": 0.0, "sentiment:neutral": 0.0}
    assert docs[3].cats == {"Local/Harbour": 0.0, "Transport": 0.0, "Economy": 0.0}  # no sentiment: unknown
    assert FORMATS["spacy"].streaming is False and summary["documents"] == 4


def test_docbin_marks_tokens_under_a_misaligned_span_missing_and_trains():
    text = "Kim Jong-un's envoy met Ilse Varga in Lowmere. Brenn praised Lowmere."
    gold = [Span(4, 10, "PER", "Jong-u"), span(text, "Ilse Varga", "PER"), span(text, "Lowmere", "LOC")]
    records = [record(1, text, gold, topics=["Politics"]), *sample_records()]
    data, summary = write("spacy", records)
    docs = list(DocBin().from_bytes(data).get_docs(pipeline().vocab))

    assert summary["spans_misaligned"] == 1
    assert [(t.text, t.ent_iob_) for t in docs[0][:3]] == [
        ("Kim", "O"), ("Jong-un", ""), ("'s", "O")  # "" is missing: neither entity nor outside
    ]
    nlp = spacy.blank("en")
    nlp.add_pipe("ner")
    nlp.add_pipe("textcat_multilabel")
    examples = [Example(nlp.make_doc(doc.text), doc) for doc in docs]
    optimizer = nlp.initialize(lambda: examples)
    losses = nlp.update(examples, sgd=optimizer)
    assert set(nlp.get_pipe("ner").labels) == {"PER", "LOC", "VESSEL"} and losses["ner"] > 0


def test_csv_has_a_header_and_quotes_commas_quotes_and_newlines():
    title = 'Harbour "reopens", at last\nsays mayor'
    records = [record(1, "Text.", topics=["Local/Harbour", "Transport"], title=title, published_at=None),
               record(2, "Other.", gold=None, title="Plain")]
    data, _ = write("csv", records)

    assert data.startswith(b"article_id,title,text,source,url,published_at,has_gold,sentiment,topics,spans,"
                           b"span_count,labeled_by\r\n")
    assert b'"Harbour ""reopens"", at last\nsays mayor"' in data
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    assert rows[1] == ["1", title, "Text.", "Lowmere Courier", "https://courier.example/1", "", "true", "neutral",
                       '["Local/Harbour","Transport"]', "[]", "0", "gold"]
    assert rows[2][6:] == ["false", "", "", "", "", ""]


@pytest.mark.parametrize("name", ["jsonl", "conll", "csv"])
def test_streaming_formats_read_records_lazily(name):
    read = 0

    def records() -> Iterator[ExportRecord]:
        nonlocal read
        for number in range(10_000):
            read += 1
            yield record(number, "Lowmere votes.", [Span(0, 7, "LOC", "Lowmere")])

    exporter = FORMATS[name]()
    chunks = exporter.write(records())
    first_two = next(chunks) + next(chunks)  # CSV's first chunk is its header
    assert read <= 2 and b"Lowmere" in first_two
    rest = sum(1 for _ in chunks)
    assert read == 10_000 and exporter.summary["documents"] == 10_000 and rest >= 9_998


def test_the_export_package_imports_neither_django_nor_spacy():
    code = "import sys, annotations.datasets.formats; print(sorted({'django', 'spacy'} & set(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert result.stdout.strip() == "[]"


def test_the_spacy_pipeline_is_built_once_per_process():
    assert pipeline() is pipeline()
    assert pipeline().pipe_names == ["sentencizer"]


def test_a_format_instance_reports_its_last_run():
    exporter = FORMATS["conll"]()
    b"".join(exporter.write([record(1, "Lowmere.", [Span(1, 3, "LOC", "ow")])]))
    b"".join(exporter.write([record(2, "Lowmere.", [Span(0, 7, "LOC", "Lowmere")])]))
    assert (exporter.summary["spans"], exporter.summary["spans_misaligned"]) == (1, 0)


def test_conll_tokens_keep_hyphenated_words_whole_and_split_dashes_and_punctuation():
    text = "Bre-X chief Jean-Luc Picard, well-known since 1996-12-06, won 2-1 -- twice—again (10+2)."
    data, _ = write("conll", [record(1, text)])

    tokens = [line.split(" ")[0] for line in data.decode().split("\n")[2:] if line]
    assert tokens == ["Bre-X", "chief", "Jean-Luc", "Picard", ",", "well-known", "since", "1996-12-06", ",", "won",
                      "2-1", "--", "twice", "—", "again", "(", "10", "+", "2", ")", "."]


def test_the_conll_tokenizer_refuses_to_build_if_spacys_hyphen_rules_changed():
    from annotations.datasets.formats.nlp import conll_infixes

    with pytest.raises(RuntimeError, match="infix rules changed"):
        conll_infixes([r"(?<=[0-9])[+\-\*^](?=[0-9-])"])  # the letters-hyphen-letters rule is missing
