"""Topic suggestions: TF-IDF similarity to the project's topic descriptions, or a classifier
trained on the project's gold.

scikit-learn is imported inside the functions that use it (importing it takes most of a
second), so that the web process can import the predictor registry for free.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..pickled import PickledModel
from .base import PredictionContext, Suggestions, TopicDefinition

# The classifier needs examples of both kinds for a topic to learn anything from them.
MIN_POSITIVES = 2
MIN_NEGATIVES = 2
# A long article and a one-line topic description share few words, so their cosine stays small:
# about 0.1 to 0.3 for a clear match, under 0.05 for none. Scores are cosines divided by this
# and capped at 1, so a threshold such as 0.3 means something; the ranking is unchanged.
SIMILARITY_SATURATION = 0.3


def _vectorizer(**options):
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(stop_words="english", sublinear_tf=True, strip_accents="unicode", **options)


class TopicSimilarityPredictor:
    """Cosine similarity between each text and each topic's "name. description", for every topic
    of the context, scaled into [0, 1] by SIMILARITY_SATURATION.

    The vocabulary and idf are fitted on the topic texts plus the batch: a word common to the whole
    batch weighs little. So the same text may score slightly differently in another batch; the
    ranking of topics for a text is what is meant to be stable. Needs no training.
    """

    name = "topics-tfidf"
    version = "1"

    def predict(self, texts: list[str], context: PredictionContext) -> list[Suggestions]:
        topics = context.topics
        if not topics or not texts:
            return [Suggestions() for _ in texts]
        vectorizer = _vectorizer()
        try:
            matrix = vectorizer.fit_transform([_topic_text(topic) for topic in topics] + list(texts))
        except ValueError:  # only stop words and punctuation in the whole batch: nothing to compare
            return [Suggestions(topics={topic.name: 0.0 for topic in topics}) for _ in texts]
        # Rows are L2-normalised by the vectorizer, so the dot product is the cosine; TF-IDF
        # weights are never negative, so neither is the cosine.
        cosines = (matrix[len(topics):] @ matrix[: len(topics)].T).toarray()
        return [Suggestions(topics={topic.name: _similarity_score(cosine) for topic, cosine in zip(topics, row)})
                for row in cosines]


def _similarity_score(cosine: float) -> float:
    return round(min(float(cosine) / SIMILARITY_SATURATION, 1.0), 4)


def _topic_text(topic: TopicDefinition) -> str:
    return f"{topic.name}. {topic.description}"


@dataclass
class TrainedTopicModel(PickledModel):
    """A TF-IDF vectorizer and one logistic regression per topic, with how they were trained.

    ``metadata``: ``examples`` (texts fitted on), ``positives`` per topic and ``skipped``
    (topic -> reason). How well it does is measured apart, on gold it was not fitted on.
    """

    vectorizer: Any
    classifier: Any
    topics: list[str]
    metadata: dict = field(default_factory=dict)

    def probabilities(self, texts: list[str]) -> list[dict[str, float]]:
        """Topic -> probability for each text, rounded as predictions store them."""
        if not texts:
            return []
        rows = _probabilities(self.classifier, self.vectorizer.transform(texts))
        return [{topic: round(float(score), 4) for topic, score in zip(self.topics, row)} for row in rows]


def train_topic_classifier(texts: list[str], topic_sets: list[set[str]]) -> TrainedTopicModel:
    """Fit a multi-label topic classifier on every text given (the caller holds out what it
    measures the model on).

    Topics with fewer than MIN_POSITIVES examples, or fewer than MIN_NEGATIVES without them, are
    left out and listed in ``metadata["skipped"]``. Raises ValueError if no topic can be trained
    or the inputs do not pair up. Pure and deterministic.
    """
    if len(texts) != len(topic_sets):
        raise ValueError(f"{len(texts)} texts but {len(topic_sets)} topic sets")
    positives = _positive_counts(topic_sets)
    skipped = _skipped_topics(positives, len(texts))
    topics = sorted(topic for topic in positives if topic not in skipped)
    if not topics:
        raise ValueError(f"no topic has at least {MIN_POSITIVES} examples and {MIN_NEGATIVES} counter-examples")
    vectorizer, classifier = _fit(texts, _binarize(topic_sets, topics))
    metadata = {"examples": len(texts), "positives": {topic: positives[topic] for topic in topics},
                "skipped": skipped}
    return TrainedTopicModel(vectorizer=vectorizer, classifier=classifier, topics=topics, metadata=metadata)


def _positive_counts(topic_sets: list[set[str]]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for topic_set in topic_sets:
        for topic in topic_set:
            counts[topic] = counts.get(topic, 0) + 1
    return counts


def _skipped_topics(positives: dict[str, int], total: int) -> dict[str, str]:
    skipped = {}
    for topic, count in sorted(positives.items()):
        if count < MIN_POSITIVES:
            skipped[topic] = f"{count} example(s); at least {MIN_POSITIVES} needed"
        elif total - count < MIN_NEGATIVES:
            skipped[topic] = f"{total - count} text(s) without it; at least {MIN_NEGATIVES} needed"
    return skipped


def _binarize(topic_sets: list[set[str]], topics: list[str]):
    import numpy

    return numpy.array([[topic in topic_set for topic in topics] for topic_set in topic_sets], dtype=int)


def _fit(texts: list[str], targets):
    from sklearn.linear_model import LogisticRegression
    from sklearn.multiclass import OneVsRestClassifier

    vectorizer = _vectorizer(ngram_range=(1, 2), max_features=50_000)
    # Balanced classes: a topic on 5% of the articles would otherwise never reach 0.5.
    classifier = OneVsRestClassifier(LogisticRegression(max_iter=1000, class_weight="balanced"))
    classifier.fit(vectorizer.fit_transform(texts), targets)
    return vectorizer, classifier


def _probabilities(classifier, features):
    """One column per topic. With a single topic, OneVsRestClassifier answers as a binary
    classifier, with the probability of "not this topic" first: keep the other column."""
    rows = classifier.predict_proba(features)
    return rows[:, 1:] if len(classifier.estimators_) == 1 else rows


class TrainedTopicPredictor:
    """Topic probabilities from a TrainedTopicModel, for every topic the model was trained on.

    ``topic_thresholds`` (topic id -> calibrated threshold, None: never) decide which of them are
    suggested, once the probabilities are mapped onto the project's topic ids: an empty dict
    still means "calibrated rule", i.e. at most the top topic (see ``calibration``).
    """

    name = "topics-trained"

    def __init__(self, model: TrainedTopicModel, version: str, topic_thresholds: dict[int, float | None]):
        self.model = model
        self.version = version
        self.topic_thresholds = topic_thresholds

    def predict(self, texts: list[str], context: PredictionContext) -> list[Suggestions]:
        return [Suggestions(topics=scores) for scores in self.model.probabilities(texts)]
