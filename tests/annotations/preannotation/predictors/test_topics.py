"""Topic suggestions: TF-IDF similarity to descriptions, and a classifier trained on examples."""

import random

import pytest

from annotations.preannotation.predictors.base import PredictionContext, TopicDefinition
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


def test_trained_classifier_beats_chance_on_the_held_out_share():
    texts, topic_sets = _training_set()
    positives = sum(len(topics) for topics in topic_sets)
    # Chance baselines: tag every text with every topic (micro-F1), or with the commonest set.
    precision_of_all = positives / (len(texts) * len(PHRASES))
    micro_f1_of_all = 2 * precision_of_all / (precision_of_all + 1)
    commonest_set_share = max(topic_sets.count(topics) for topics in topic_sets) / len(topic_sets)

    model = train_topic_classifier(texts, topic_sets, holdout=0.2, seed=0)

    assert model.metadata["held_out"] == 12 and model.metadata["trained_on"] == 48
    assert model.metadata["micro_f1"] > max(micro_f1_of_all, 0.7)
    assert model.metadata["subset_accuracy"] > commonest_set_share


def test_trained_model_round_trips_through_bytes_and_predicts():
    texts, topic_sets = _training_set()
    model = train_topic_classifier(texts, topic_sets)
    probes = ["a storm brought heavy rain", "the gulls won the match"]

    restored = TrainedTopicModel.from_bytes(model.to_bytes())
    suggestions = TrainedTopicPredictor(restored, version="7").predict(probes, PredictionContext())

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
    assert model.metadata["micro_f1"] > 0.7


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
