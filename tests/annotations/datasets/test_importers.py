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


def test_conll_documents_become_texts_with_exact_spans_and_their_tokens():
    data = ("-DOCSTART- -X- O O\n\nJean-Luc B-PER\nPicard I-PER\nvisited O\nBre-X B-ORG\n.\tO\n\nOn O\n1996-12-06 O\n\n"
            "-DOCSTART- -X- -X- O\n\nTolvik NNP B-NP I-LOC\nwins VBZ B-VP O\n")

    first, second = parse_labels(data, fmt="conll", origin="train.conll")

    assert first.text == "Jean-Luc Picard visited Bre-X .\nOn 1996-12-06"
    assert first.labels == Labels(None, (), (span(first.text, "Jean-Luc Picard", "PER"), span(first.text, "Bre-X", "ORG")))
    assert first.tokens == [[[0, 8], [9, 15], [16, 23], [24, 29], [30, 31]], [[32, 34], [35, 45]]]
    assert (first.origin, first.annotator) == ("train.conll:1", None)
    assert (second.text, second.labels.spans, second.origin) == ("Tolvik wins", (Span(0, 6, "LOC", "Tolvik"),),
                                                                 "train.conll:12")


def test_conll_iob1_tags_start_an_entity_with_i_and_b_separates_neighbours():
    data = "Anna I-PER\nBerg I-PER\nOla B-PER\nmet O\nLund I-LOC\n"

    (document,) = parse_labels(data, fmt="conll")

    assert [(s.text, s.label) for s in document.labels.spans] == [("Anna Berg", "PER"), ("Ola", "PER"), ("Lund", "LOC")]


def test_conll_bad_lines_fail_their_document_only():
    data = "-DOCSTART- -X- O O\n\nLone\nword X-PER\n\n-DOCSTART- -X- O O\n\nFine O\n"

    bad, good = parse_labels(data, fmt="conll", origin="f.conll")

    assert isinstance(bad, LabelImportError) and bad.origin == "f.conll:1"
    assert "line 3 has no tag column" in bad.message and "line 4: tag 'X-PER'" in bad.message
    assert good.text == "Fine"


def test_doccano_token_data_is_kept_as_the_documents_tokens():
    text = "Jean-Luc met Bre-X.\nThen left."
    lines = [{"text": text, "label": [[0, 8, "PER"]], "tokens": ["Jean-Luc", "met", "Bre-X", ".", "Then", "left", "."]},
             {"text": text, "label": [], "tokens": ["Jean", "met"]}]

    good, bad = parse_labels("\n".join(json.dumps(line) for line in lines), fmt="doccano", origin="d.jsonl")

    assert good.tokens == [[[0, 8], [9, 12], [13, 18], [18, 19]], [[20, 24], [25, 29], [29, 30]]]
    assert isinstance(bad, LabelImportError) and "token 2 ('met') is not the next token" in bad.message


def test_label_studio_token_objects_are_kept_as_the_documents_tokens():
    text = "Tolvik wins"
    tasks = [{"data": {"text": text, "tokens": [{"text": "Tolvik", "start": 0, "end": 6},
                                                {"text": "wins", "start": 7, "end": 11}]},
              "annotations": [{"result": []}]}]

    (document,) = parse_labels(json.dumps(tasks), fmt="label-studio")

    assert document.tokens == [[[0, 6], [7, 11]]]


def test_newsroom_provenance_and_tokens_are_read_back_and_bad_origins_refused():
    text = "Tolvik wins"
    gold = {"sentiment": "positive", "topics": ["Sport"], "provenance": {
        "sentiment": {"origin": "accepted", "predictor": "vader", "version": "3.3"},
        "topics": [{"topic": "Sport", "origin": "changed", "predictor": "topics", "version": "2"}]},
        "spans": [{"start": 0, "end": 6, "label": "LOC", "text": "Tolvik", "origin": "accepted",
                   "predictor": "spacy-ner", "predictor_version": "3.8"}]}
    wrong = {**gold, "spans": [{**gold["spans"][0], "origin": "guessed"}]}
    lines = [{"text": text, "tokens": [[[0, 6], [7, 11]]], "gold": gold}, {"text": text, "gold": wrong}]

    good, bad = parse_labels("\n".join(json.dumps(line) for line in lines), fmt="newsroom")

    assert good.tokens == [[[0, 6], [7, 11]]]
    assert good.labels.spans == (Span(0, 6, "LOC", "Tolvik", origin="accepted", predictor="spacy-ner",
                                      predictor_version="3.8"),)
    assert good.labels.provenance == gold["provenance"]
    assert isinstance(bad, LabelImportError) and "origin 'guessed' is none of person" in bad.message


def test_the_importers_origins_are_the_models_label_origins():
    from annotations.datasets.formats.records import LABEL_ORIGINS
    from annotations.models import LabelOrigin

    assert set(LABEL_ORIGINS) == set(LabelOrigin.values)
