"""Exports read back by the tools data scientists use: pandas for CSV and JSONL, Hugging Face
datasets for JSONL. Pure, no database: the format writers on records made here."""

import io
import json

import datasets
import pandas

from annotations.datasets.formats import FORMATS, ExportRecord, Labels, Span
from annotations.datasets.formats.csv import FORMULAS_RAW, HEADER, unescape

# Texts a spreadsheet would take for formulas, or that trip up CSV readers, written for these tests.
TEXTS = [
    "=HYPERLINK(\"https://evil.example\",\"Lowmere\") votes today.",
    "-12 degrees in Tolvik; the ferry 🛳️ stays in port.",
    "+44 20 7946 0000 is the harbour office's number.",
    "@Lowmere_Courier said: \"the vote is off\", then \"on again\".",
    "\tTabbed start, and a line\nbreak and a Windows\r\nbreak inside.",
    "'=already quoted' stays exactly as written.",
    "'Tis the season, said Mayor Zoë Brandt 👩‍👩‍👧.",
    "NA",
    "Plain text, with a comma.",
]
# Topic names a separator would break: "; " and "," inside names, and a hierarchy path.
TOPICS = [["Politics/Elections", "Crime; Courts"], [], ["Weather, Storms"], ["=Formulas"], ["Economy"], [],
          ["Local/Harbour"], ["Politics/Elections"], []]


def records() -> list[ExportRecord]:
    made = []
    for number, (text, topics) in enumerate(zip(TEXTS, TOPICS), start=1):
        word = text.split()[-1]
        start = text.index(word)
        accepted = number % 2 == 1  # odd records: the span was a suggestion a person accepted
        spans = (Span(start, start + len(word), "WORD", word, "negative" if accepted else None,
                      origin="accepted" if accepted else "person", sentiment_origin="person" if accepted else None,
                      predictor="spacy-ner" if accepted else None, predictor_version="3.8" if accepted else None),)
        sentiment = ["negative", None, "positive"][number % 3]
        provenance = {"sentiment": {"origin": "person", "predictor": None, "version": None} if sentiment else None,
                      "topics": [{"topic": topic, "origin": "changed", "predictor": "topics", "version": "2"}
                                 for topic in topics]}
        gold = None if number == 6 else Labels(sentiment=sentiment, topics=tuple(topics), spans=spans,
                                               provenance=provenance)
        made.append(ExportRecord(article_id=number, title=f"-Title {number}", text=text, source="Lowmere Courier",
                                 url=f"https://courier.example/{number}", published_at=None, byline="", dateline="",
                                 language="en", gold=gold))
    return made


def write(name: str, **options) -> bytes:
    return b"".join(FORMATS[name](**options).write(records()))


def read_csv(data: bytes) -> pandas.DataFrame:
    """As the README says to: every cell a string, no "NA" or empty cell turned into NaN."""
    return pandas.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False)


def expected_rows() -> list[dict]:
    rows = []
    for record in records():
        gold = record.gold
        rows.append({
            "text": record.text, "title": record.title, "has_gold": "true" if gold else "false",
            "sentiment": (gold.sentiment or "") if gold else "",
            "topics": list(gold.topics) if gold else None,
            "spans": [[s.start, s.end, s.label, s.text, s.sentiment] for s in gold.spans] if gold else None,
        })
    return rows


def rows_of(frame: pandas.DataFrame, cell=lambda value: value) -> list[dict]:
    return [{
        "text": cell(row.text), "title": cell(row.title), "has_gold": row.has_gold, "sentiment": row.sentiment,
        "topics": json.loads(row.topics) if row.topics else None,
        "spans": [[s["start"], s["end"], s["label"], s["text"], s["sentiment"]] for s in json.loads(row.spans)]
        if row.spans else None,
    } for row in frame.itertuples()]


def test_pandas_reads_the_raw_csv_back_exactly():
    frame = read_csv(write("csv", formulas=FORMULAS_RAW))

    assert list(frame.columns) == list(HEADER)
    assert rows_of(frame) == expected_rows()


def test_pandas_reads_the_default_csv_back_exactly_once_the_escape_quote_is_removed():
    frame = read_csv(write("csv"))

    assert rows_of(frame, unescape) == expected_rows()
    assert list(frame.text[:6]) == ["'" + text for text in TEXTS[:5]] + ["''=already quoted' stays exactly as written."]
    assert frame.text[6] == TEXTS[6] and frame.title[0] == "'-Title 1"  # an apostrophe alone is no formula


def test_no_cell_of_the_default_csv_starts_like_a_formula():
    cells = read_csv(write("csv")).to_numpy().ravel()

    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]


def test_pandas_reads_every_jsonl_record_with_its_labels_and_provenance():
    frame = pandas.read_json(io.BytesIO(write("jsonl")), lines=True, dtype=False)

    golds = [gold if isinstance(gold, dict) else None for gold in frame.gold]  # pandas reads null as NaN
    assert list(frame.text) == TEXTS
    assert [gold["topics"] if gold else None for gold in golds] == [r["topics"] for r in expected_rows()]
    assert [gold["spans"][0]["origin"] if gold else None for gold in golds][:3] == ["accepted", "person", "accepted"]
    assert golds[0]["provenance"]["topics"] == [
        {"topic": "Politics/Elections", "origin": "changed", "predictor": "topics", "version": "2"},
        {"topic": "Crime; Courts", "origin": "changed", "predictor": "topics", "version": "2"}]


def test_hugging_face_datasets_loads_every_jsonl_record(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    path = tmp_path / "export.jsonl"
    path.write_bytes(write("jsonl"))

    dataset = datasets.load_dataset("json", data_files=str(path), split="train", cache_dir=str(tmp_path / "cache"))

    assert dataset.num_rows == len(TEXTS)
    assert dataset["text"] == TEXTS
    assert [row["gold"]["topics"] if row["gold"] else None for row in dataset] == [r["topics"] for r in expected_rows()]
    assert [[s["text"] for s in row["gold"]["spans"]] if row["gold"] else None for row in dataset] == [
        [s[3] for s in r["spans"]] if r["spans"] else None for r in expected_rows()]
    assert [row["gold"]["spans"][0]["predictor"] if row["gold"] else None for row in dataset][:3] == [
        "spacy-ner", None, "spacy-ner"]
    assert dataset[2]["gold"]["provenance"]["topics"] == [
        {"topic": "Weather, Storms", "origin": "changed", "predictor": "topics", "version": "2"}]
