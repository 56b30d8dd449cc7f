"""CoNLL sentence breaks are computed without running spaCy's sentencizer; they must match it."""

import json
from pathlib import Path

import pytest

from annotations.datasets.formats.nlp import pipeline, sentence_starts

SAMPLE = Path(__file__).resolve().parents[3] / "sample_data"
TEXTS = [
    'He said "Stop!" and left. Then: "Why?" she asked... Done.',
    "Wait!!! Really?! (Yes.) Ok",
    "Zoë met José in Zürich 🚀. مرحبا بكم. The end",
    "No punctuation at all",
    "",
    *[json.loads(line)["text"] for line in (SAMPLE / "articles.jsonl").read_text(encoding="utf-8").splitlines()],
]


@pytest.mark.parametrize("text", TEXTS, ids=range(len(TEXTS)))
def test_sentence_starts_match_spacys_sentencizer(text):
    doc = pipeline()(text)
    expected = [bool(token.is_sent_start) for token in doc]
    punct = [int(token.is_punct) for token in doc]
    assert sentence_starts([token.text for token in doc], punct) == expected
