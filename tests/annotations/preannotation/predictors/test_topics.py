"""Topic suggestions: TF-IDF similarity to descriptions, and a classifier trained on examples."""

import random

import pytest

from annotations.models import ProjectPredictor
from annotations.preannotation.calibration import figures, topics_suggested
from annotations.preannotation.predictors.base import PredictionContext, TopicDefinition
from annotations.preannotation.predictors.mapping import ProjectSchema, suggestions_to_labels
from annotations.preannotation.predictors.registry import ConfiguredPredictor
from annotations.preannotation.predictors.topics import (TopicSimilarityPredictor, TrainedTopicModel, TrainedTopicPredictor,
                                           train_topic_classifier)

TOPICS = (
    TopicDefinition("Economy", "Inflation, consumer prices, interest rates, the central bank, jobs and wages."),
    TopicDefinition("Sport", "Football, tennis, athletics, matches, tournaments and players."),
    TopicDefinition("Politics", "Elections, parliament, government ministers, parties and votes."),
    TopicDefinition("Weather", "Storms, floods, heatwaves, rain and forecasts."),
)
INFLATION_STORY = (
    "Inflation in Valdoria rose to 6 percent in March as food and fuel prices climbed. "
    "The central bank said it would raise interest rates again to cool prices. "
    "Shoppers in Marrowby complained that bread now costs twice what it did a year ago."
)
FOOTBALL_STORY = "The Port Ellery Gulls won the football final on Sunday; their captain scored twice in the match."

# Tiny fictional phrases per topic; each training text joins one or two of them.
PHRASES = {
    "Economy": ["bread prices rose again", "the central bank raised rates", "wages lag behind inflation",
                "factory jobs were cut", "the currency fell sharply", "shops report weak sales",
                "mortgage costs climb", "fuel is dearer this month"],
    "Sport": ["the gulls won the final", "a late goal sealed the match", "the tennis star retired",
              "the marathon drew record runners", "the coach was sacked", "fans filled the stadium",
              "the striker signed a new deal", "the relay team took gold"],
    "Weather": ["heavy rain flooded the lanes", "a storm toppled trees", "the heatwave broke records",
                "snow closed the mountain pass", "forecasters warn of gales", "frost damaged the orchards",
                "the river burst its banks", "drought dried the reservoir"],
}


def _training_set(seed=1):
    """60 texts: 40 on one topic, 20 on two, with their topic sets."""
    rng = random.Random(seed)
    topics = sorted(PHRASES)
    texts, topic_sets = [], []
    for index in range(60):
        chosen = rng.sample(topics, 2 if index % 3 == 0 else 1)
        texts.append(". ".join(rng.choice(PHRASES[topic]) for topic in chosen) + ".")
        topic_sets.append(set(chosen))
    return texts, topic_sets


def test_similarity_ranks_economy_first_for_an_inflation_story():
    texts = [INFLATION_STORY, FOOTBALL_STORY]

    inflation, football = TopicSimilarityPredictor().predict(texts, PredictionContext(topics=TOPICS))

    assert set(inflation.topics) == {topic.name for topic in TOPICS}
    assert max(inflation.topics, key=inflation.topics.get) == "Economy"
    assert max(football.topics, key=football.topics.get) == "Sport"
    assert all(0 <= score <= 1 for score in inflation.topics.values())
    assert inflation.topics["Economy"] > 3 * inflation.topics["Sport"]


def test_similarity_without_topics_suggests_none():
    suggestions = TopicSimilarityPredictor().predict([INFLATION_STORY, FOOTBALL_STORY], PredictionContext())

    assert [suggestion.topics for suggestion in suggestions] == [{}, {}]


def test_trained_classifier_beats_chance_on_texts_it_was_not_fitted_on():
    texts, topic_sets = _training_set()
    positives = sum(len(topics) for topics in topic_sets[48:])
    # Chance baselines: tag every text with every topic (micro-F1), or with the commonest set.
    precision_of_all = positives / (12 * len(PHRASES))
    micro_f1_of_all = 2 * precision_of_all / (precision_of_all + 1)
    commonest_set_share = max(topic_sets[48:].count(topics) for topics in topic_sets[48:]) / 12

    model = train_topic_classifier(texts[:48], topic_sets[:48])
    suggested = [set(topics_suggested(scores, {})) for scores in model.probabilities(texts[48:])]
    measured = figures(suggested, topic_sets[48:])

    assert model.metadata["examples"] == 48
    assert measured["micro_f1"] > max(micro_f1_of_all, 0.7)
    assert measured["subset_accuracy"] > commonest_set_share


def test_trained_model_round_trips_through_bytes_and_predicts():
    texts, topic_sets = _training_set()
    model = train_topic_classifier(texts, topic_sets)
    probes = ["a storm brought heavy rain", "the gulls won the match"]

    restored = TrainedTopicModel.from_bytes(model.to_bytes())
    suggestions = TrainedTopicPredictor(restored, version="7", topic_thresholds={}).predict(probes, PredictionContext())

    assert restored.probabilities(probes) == model.probabilities(probes)
    assert [max(s.topics, key=s.topics.get) for s in suggestions] == ["Weather", "Sport"]
    assert set(suggestions[0].topics) == {"Economy", "Sport", "Weather"}


def test_a_model_of_a_single_topic_gives_that_topic_s_probability():
    texts, topic_sets = _training_set()
    weather_only = [topics & {"Weather"} for topics in topic_sets]

    model = train_topic_classifier(texts, weather_only)
    storm, match = model.probabilities(["a storm brought heavy rain", "the gulls won the match"])

    assert model.topics == ["Weather"]
    assert storm["Weather"] > 0.5 > match["Weather"]


SCHEMA = ProjectSchema(entity_types=(), topic_ids={"economy": 1, "sport": 2, "weather": 3},
                       topic_names={1: "Economy", 2: "Sport", 3: "Weather"}, sentiment_scale=())
# Texts about two or three topics at once: the classifier gives several of them a high probability.
MIXED = ["the gulls won the final. heavy rain flooded the lanes. bread prices rose again.",
         "a storm toppled trees. the central bank raised rates.",
         "the striker signed a new deal. the currency fell sharply. snow closed the mountain pass."]


def _suggested_topic_names(configured, texts, options):
    return [[topic["name"] for topic in suggestions_to_labels(suggestion, schema=SCHEMA, label_map={},
                                                               options=options)[0]["topics"]]
            for suggestion in configured.predictor.predict(texts, PredictionContext())]


def test_a_trained_predictor_suggests_exactly_the_topics_at_or_above_their_thresholds():
    texts, topic_sets = _training_set()
    model = train_topic_classifier(texts, topic_sets)
    [scores] = model.probabilities(MIXED[:1])
    # Economy exactly at its score (suggested), Sport just above its score (not), Weather never.
    thresholds = {1: scores["Economy"], 2: scores["Sport"] + 0.0001, 3: None}
    config = ProjectPredictor(kind="topics", options={"min_topic_score": 0.99, "max_topics": 1})
    configured = ConfiguredPredictor(config=config, predictor=TrainedTopicPredictor(model, "gold-v1", thresholds))

    [suggested] = _suggested_topic_names(configured, MIXED[:1], configured.options)

    assert suggested == ["Economy"]


def test_an_uncalibrated_trained_predictor_suggests_at_most_its_top_topic():
    texts, topic_sets = _training_set()
    model = train_topic_classifier(texts, topic_sets)
    config = ProjectPredictor(kind="topics", options={})  # the default 0.2 / top 3
    configured = ConfiguredPredictor(config=config, predictor=TrainedTopicPredictor(model, "gold-v1", {}))

    by_the_old_rule = _suggested_topic_names(configured, MIXED, config.options)
    suggested = _suggested_topic_names(configured, MIXED, configured.options)

    assert max(len(topics) for topics in by_the_old_rule) >= 2  # what annotators were shown before
    tops = [max(scores, key=scores.get) for scores in model.probabilities(MIXED)]
    assert all(topics in ([], [top]) for topics, top in zip(suggested, tops))
    assert any(suggested)


def test_topics_with_too_few_examples_are_skipped_with_a_reason():
    texts, topic_sets = _training_set()
    topic_sets[5] = topic_sets[5] | {"Obituaries"}

    model = train_topic_classifier(texts, topic_sets)

    assert "Obituaries" not in model.topics
    assert "1 example" in model.metadata["skipped"]["Obituaries"]


def test_training_without_any_trainable_topic_fails_clearly():
    with pytest.raises(ValueError, match="no topic"):
        train_topic_classifier(["one text", "another"], [{"Sport"}, set()])


def test_from_bytes_refuses_other_pickles():
    import pickle

    with pytest.raises(ValueError, match="not a TrainedTopicModel"):
        TrainedTopicModel.from_bytes(pickle.dumps({"topics": []}))
