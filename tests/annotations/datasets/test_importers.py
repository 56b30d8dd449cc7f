"""Label importers: Label Studio, doccano and our own JSONL, with bad documents among good. Pure, no database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotations.datasets.formats import Labels, Span
from annotations.datasets.importers import ImportedDocument, LabelImportError, parse_labels

FIXTURES = Path(__file__).parent / "export_fixtures"


def span(text: str, part: str, label: str, sentiment: str | None = None) -> Span:
    start = text.index(part)
    return Span(start=start, end=start + len(part), label=label, text=part, sentiment=sentiment)


def read(name: str, fmt: str, **options) -> list[ImportedDocument | LabelImportError]:
    return list(parse_labels((FIXTURES / name).read_bytes(), fmt=fmt, origin=name, **options))


def by_origin(results) -> dict[str, list]:
    grouped: dict[str, list] = {}
    for result in results:
        grouped.setdefault(result.origin, []).append(result)
    return grouped


def test_label_studio_export_imports_each_annotation_and_reports_the_broken_task():
    results = by_origin(read("label_studio.json", "label-studio"))

    ana, second = results["label_studio.json:1"]
    text = ana.text
    assert ana.labels == Labels(
        sentiment="Positive",
        topics=("Transport", "Local/Harbour"),
        spans=(
            span(text, "Edda Lindqvist", "PER", "Positive"),  # the sentiment choice on region r1
            span(text, "Saga", "VESSEL"),
            span(text, "Lowmere", "LOC"),
        ),
    )
    assert (ana.annotator, ana.title, ana.url, ana.external_id) == (
        "ana@example.org", "Ferry arrives early", "https://lowmere.example/ferry", "101"
    )
    assert (second.annotator, second.labels) == ("4", Labels("Neutral", (), ()))
    (broken,) = results["label_studio.json:2"]
    assert isinstance(broken, LabelImportError)
    assert "'Brackwater Bakery'" in broken.message and "'Brackwater bakery'" in broken.message
    assert broken.message.startswith("task 2, annotation 1:")
    assert [type(r) for r in results["label_studio.json:5"]] == [ImportedDocument]  # tasks after it still read


def test_label_studio_utf16_offsets_after_astral_characters_become_code_points():
    (festival,) = by_origin(read("label_studio.json", "label-studio"))["label_studio.json:3"]

    text = festival.text
    assert festival.labels.spans == (span(text, "Noor Haddad", "PER"), span(text, "𝔏owmere", "LOC"))


def test_label_studio_right_to_left_text_keeps_its_offsets():
    (council,) = by_origin(read("label_studio.json", "label-studio"))["label_studio.json:5"]

    assert council.labels.spans == (span(council.text, "لوميري", "LOC"),)
    assert council.labels.sentiment == "Neutral"


def test_label_studio_task_with_only_a_cancelled_annotation_has_no_labels():
    (storm,) = by_origin(read("label_studio.json", "label-studio"))["label_studio.json:4"]

    assert storm.labels is None and storm.annotator is None


def test_label_studio_choice_fields_decide_which_choices_are_sentiment_and_topics():
    text = "Lowmere Gulls win the cup."
    tasks = [{"data": {"text": text}, "annotations": [{"completed_by": 1, "result": [
        {"type": "choices", "from_name": "tone", "value": {"choices": ["positive"]}},
        {"type": "choices", "from_name": "section", "value": {"choices": ["Sport", "Local"]}},
        {"type": "choices", "from_name": "sentiment", "value": {"choices": ["negative"]}},
    ]}]}]

    fields = {"sentiment": "tone", "topics": "section"}
    (doc,) = parse_labels(json.dumps(tasks), fmt="label-studio", choice_fields=fields)

    assert doc.labels == Labels("positive", ("Sport", "Local"), ())


def test_label_studio_file_that_is_not_json_is_one_error():
    assert list(parse_labels(b"<html>", fmt="label-studio", origin="x.json")) == [
        LabelImportError("x.json", "not a Label Studio JSON export (Expecting value: line 1 column 1 (char 0))")
    ]


def test_doccano_jsonl_reads_both_span_shapes_and_categories_and_reports_bad_lines():
    results = by_origin(read("doccano.jsonl", "doccano"))

    (gulls,) = results["doccano.jsonl:1"]
    people = (span(gulls.text, "Ilse Varga", "PER"), span(gulls.text, "Tomas Brenn", "PER"))
    assert gulls.labels == Labels(None, (), (*people, span(gulls.text, "Lowmere Gulls", "ORG")))
    assert (gulls.title, gulls.external_id, gulls.annotator) == ("Gulls pick captain", "1", None)
    (fog,) = results["doccano.jsonl:2"]
    fog_spans = (span(fog.text, "Brackwater", "LOC"), span(fog.text, "Aran Molloy", "PER"))
    assert fog.labels == Labels("negative", ("Weather",), fog_spans)
    (half,) = results["doccano.jsonl:3"]
    assert isinstance(half, LabelImportError) and half.message.startswith("line 3 is not valid JSON")
    (outside,) = results["doccano.jsonl:4"]
    assert outside == LabelImportError(
        "doccano.jsonl:4", "line 4: span 21-999 'LOC': offsets outside the text (0-29) or empty"
    )
    (match,) = results["doccano.jsonl:5"]
    assert match.labels == Labels("Negative", ("Sport",), ())


def test_newsroom_line_with_a_span_that_does_not_match_its_text_is_an_error_and_others_import():
    lowmere = {"start": 0, "end": 7, "label": "LOC", "text": "Lowmere"}
    good = {"text": "Lowmere 🌊 floods.", "gold": {"sentiment": "negative", "topics": ["Weather"], "spans": [lowmere]}}
    shifted_span = {"start": 3, "end": 10, "label": "LOC", "text": "Lowmere"}  # one too far: 🌊 counted twice
    shifted = {"text": "🌊 Lowmere floods.", "gold": {"sentiment": None, "topics": [], "spans": [shifted_span]}}
    lines = [json.dumps(good, ensure_ascii=False), json.dumps(shifted), "", json.dumps(good)]

    results = list(parse_labels("\n".join(lines), fmt="newsroom", origin="old.jsonl"))

    assert [type(r) for r in results] == [ImportedDocument, LabelImportError, ImportedDocument]
    assert results[1].origin == "old.jsonl:2"
    assert results[1].message == "line 2: gold span 3-10 'LOC': the file says 'Lowmere' but the text there is 'owmere '"
    assert results[2].origin == "old.jsonl:4" and results[2].labels.spans == (Span(0, 7, "LOC", "Lowmere"),)


def test_newsroom_bytes_with_a_byte_order_mark_and_a_bad_utf8_line():
    data = "\ufeff".encode() + b'{"text": "Calm sea.", "gold": null}\n\xff\xfe{}\n'

    first, second = parse_labels(data, fmt="newsroom", origin="f.jsonl")

    assert (first.text, first.labels) == ("Calm sea.", None)
    assert second == LabelImportError("f.jsonl:2", "line 2 is not UTF-8 text (byte 1)")


def test_label_studio_text_with_a_byte_order_mark_is_read():
    tasks = "\ufeff" + json.dumps([{"data": {"text": "Calm sea."}}])

    (doc,) = parse_labels(tasks, fmt="label-studio")

    assert (doc.text, doc.labels) == ("Calm sea.", None)


def test_wrong_arguments_are_refused_at_once():
    with pytest.raises(ValueError, match="unknown label format"):
        parse_labels(b"", fmt="brat")
    with pytest.raises(ValueError, match="unknown field"):
        parse_labels(b"[]", fmt="label-studio", choice_fields={"mood": "tone"})
