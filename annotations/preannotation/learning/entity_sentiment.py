"""Sentiment toward one entity mention, learned from the words around it (target-dependent).

"Leeds beat Chelsea" is good news for Leeds and bad news for Chelsea; the sentence-VADER score
the spaCy predictor gives today (``sentence_vader_labels``, kept as the baseline) is one value
for both. Here each mention is described by its own context, with the mention itself masked so
that names are never learned:
- TF-IDF of the words in a window left and right of the mention (separate vocabularies, so
  "beat X" and "X beat" differ), and of the nearest words by position;
- VADER compounds of the clause holding the mention (split at commas and "but", "while", ...),
  of each window and of the whole sentence, so lexicon polarity the gold has not shown yet helps.
A logistic regression on these gives one label of the project's sentiment scale per mention.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence

from ..pickled import PickledModel
from ..predictors.sentiment import NEUTRAL_THRESHOLD, analyzer, sentence_bounds
from .metrics import label_scores

Target = tuple[int, int]  # the mention's (start, end) in the text
SentimentExample = tuple[str, Target, str]

DEFAULT_SETTINGS = {
    # Words either side of the mention: enough for "X beat Y" and "was beaten by X", short
    # enough that a second entity's verb in a long sentence stays mostly out of the window.
    "window": 6,
    # The nearest words also count as their own features, with their position.
    "near": 2,
    "C": 2.0,
}
_WORD = re.compile(r"\w+(?:['’]\w+)?|[^\w\s]")
# Where a sentence splits into clauses that can carry different tones.
_CLAUSE_BREAK = re.compile(r"[,;:–—]|\b(?:but|while|whereas|although|though|however|after|as)\b", re.IGNORECASE)


def scale_label(compound: float, scale: Sequence[str]) -> str:
    """A VADER compound as a value of the scale (most negative first): for an odd scale, the
    middle value is VADER's neutral band, the sides split the rest evenly."""
    n = len(scale)
    if n % 2 == 1 and abs(compound) < NEUTRAL_THRESHOLD:
        return scale[n // 2]
    side = n // 2
    if compound < 0:
        position = (-compound - NEUTRAL_THRESHOLD * (n % 2)) / (1 - NEUTRAL_THRESHOLD * (n % 2))
        return scale[side - 1 - min(int(position * side), side - 1)]
    position = (compound - NEUTRAL_THRESHOLD * (n % 2)) / (1 - NEUTRAL_THRESHOLD * (n % 2))
    return scale[n - side + min(int(position * side), side - 1)]


def sentence_vader_labels(items: Sequence[tuple[str, Target]], scale: Sequence[str]) -> list[str]:
    """The baseline: the VADER compound of the sentence holding each mention, as a scale value."""
    score = analyzer().polarity_scores
    labels = []
    for text, (start, end) in items:
        sentence_start, sentence_end = _sentence_of(text, start, end)
        labels.append(scale_label(score(text[sentence_start:sentence_end])["compound"], scale))
    return labels


def _sentence_of(text: str, start: int, end: int) -> tuple[int, int]:
    sentences = sentence_bounds(text) or [(0, len(text))]
    index = max(bisect_right([s for s, _ in sentences], start) - 1, 0)
    return sentences[index][0], max(sentences[index][1], end)


def _clause_of(sentence: str, start: int, end: int) -> str:
    """The part of the sentence between the nearest clause breaks around the mention."""
    left = max((m.end() for m in _CLAUSE_BREAK.finditer(sentence, 0, start)), default=0)
    right = next((m.start() for m in _CLAUSE_BREAK.finditer(sentence, end)), len(sentence))
    return sentence[left:right]


def context_of(text: str, target: Target, *, window: int, near: int) -> dict:
    """The mention's masked context: left and right word windows, positional near words, and the
    sentence and clause texts (for VADER)."""
    start, end = target
    sentence_start, sentence_end = _sentence_of(text, start, end)
    sentence = text[sentence_start:sentence_end]
    local_start, local_end = start - sentence_start, end - sentence_start
    mention = text[start:end]  # masked wherever it recurs, too
    left_words = [w.lower() for w in _WORD.findall(sentence[:local_start].replace(mention, " "))][-window:]
    right_words = [w.lower() for w in _WORD.findall(sentence[local_end:].replace(mention, " "))][:window]
    near_words = ([f"l{i}_{w}" for i, w in enumerate(reversed(left_words[-near:]), 1)]
                  + [f"r{i}_{w}" for i, w in enumerate(right_words[:near], 1)])
    return {"left": " ".join(left_words), "right": " ".join(right_words), "near": " ".join(near_words),
            "clause": _clause_of(sentence, local_start, local_end).replace(mention, " "),
            "sentence": sentence.replace(mention, " ")}


class EntitySentimentModel(PickledModel):
    """A trained target-dependent sentiment classifier over a project's sentiment ``labels``."""

    def __init__(self, labels: Sequence[str], settings: dict, vectorizers: dict, classifier):
        self.labels = list(labels)
        self.settings = settings
        self.vectorizers = vectorizers
        self.classifier = classifier

    @classmethod
    def train(cls, examples: Sequence[SentimentExample], labels: Sequence[str], seed: int = 0,
              settings: dict | None = None) -> EntitySentimentModel:
        """Fit on (text, (start, end), label) examples; ``labels`` is the scale, most negative first."""
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        if len({label for _, _, label in examples}) < 2:
            raise ValueError("training needs examples of at least two sentiment labels")
        settings = {**DEFAULT_SETTINGS, **(settings or {})}
        contexts = [context_of(text, target, window=settings["window"], near=settings["near"])
                    for text, target, _ in examples]
        vectorizers = {
            "left": TfidfVectorizer(ngram_range=(1, 2), token_pattern=r"\S+", sublinear_tf=True),
            "right": TfidfVectorizer(ngram_range=(1, 2), token_pattern=r"\S+", sublinear_tf=True),
            "near": TfidfVectorizer(token_pattern=r"\S+"),
        }
        for part, vectorizer in vectorizers.items():
            vectorizer.fit([context[part] for context in contexts])
        classifier = LogisticRegression(C=settings["C"], class_weight="balanced", max_iter=2000, random_state=seed)
        model = cls(labels, settings, vectorizers, classifier)
        classifier.fit(model._features(contexts), [label for _, _, label in examples])
        return model

    def predict(self, items: Sequence[tuple[str, Target]]) -> list[tuple[str, float]]:
        """(label, probability) per (text, (start, end)) mention."""
        if not items:
            return []
        contexts = [context_of(text, target, window=self.settings["window"], near=self.settings["near"])
                    for text, target in items]
        probabilities = self.classifier.predict_proba(self._features(contexts))
        classes = list(self.classifier.classes_)
        return [(str(classes[row.argmax()]), round(float(row.max()), 4)) for row in probabilities]

    def evaluate(self, examples: Sequence[SentimentExample]) -> dict:
        """Accuracy, macro-F1 and per-label figures on ``examples`` (held-out gold)."""
        predicted = [label for label, _ in self.predict([(text, target) for text, target, _ in examples])]
        return label_scores([label for _, _, label in examples], predicted, self.labels)

    def _features(self, contexts: list[dict]):
        from scipy.sparse import csr_matrix, hstack

        score = analyzer().polarity_scores
        lexicon = [[score(context[part])["compound"] for part in ("clause", "left", "right", "sentence")]
                   for context in contexts]
        parts = [self.vectorizers[part].transform([context[part] for context in contexts])
                 for part in ("left", "right", "near")]
        return hstack([*parts, csr_matrix(lexicon)]).tocsr()
