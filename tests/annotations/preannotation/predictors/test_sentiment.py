"""Document sentiment from sentence scores, with the real VADER lexicon."""

from annotations.preannotation.predictors.base import PredictionContext
from annotations.preannotation.predictors.sentiment import VaderSentimentPredictor
from annotations.preannotation.predictors.sentiment import analyzer, sentence_bounds, sentence_polarities

MIXED_REPORT = " ".join([
    "The council of Port Ellery met on Monday to discuss the harbour budget.",
    "Mayor Alma Verhoeven presented the plan to the members.",
    "Residents praised the wonderful new parks and the excellent, friendly library staff.",
    "The meeting lasted three hours.",
    "Shop owners said the road closures were a terrible, painful disaster for their business.",
    "The budget will be voted on next week.",
    "Teachers were delighted and grateful for the generous school funding.",
    "Critics called the parking fees unfair, greedy and insulting.",
    "The harbour master described the tides and the shipping timetable.",
    "Volunteers were happy to help and thanked the kind donors.",
    "Several families complained of awful noise, dirty streets and broken lights.",
    "Minutes of the meeting are published on the council website.",
] * 3)


def test_sentences_keep_code_point_offsets_and_abbreviations():
    text = "🙂 Mr. Kim met Dr. J. Alvarez in the U.S. on Monday. They talked!\n\nA new paragraph"

    bounds = sentence_bounds(text)

    assert [text[start:end] for start, end in bounds] == [
        "🙂 Mr. Kim met Dr. J. Alvarez in the U.S. on Monday.", "They talked!", "A new paragraph"]


def test_document_polarity_of_a_long_mixed_report_stays_moderate():
    whole_text = analyzer().polarity_scores(MIXED_REPORT)["compound"]

    suggestion = VaderSentimentPredictor().predict([MIXED_REPORT], PredictionContext())[0]

    assert abs(whole_text) > 0.9  # VADER on the whole article saturates
    assert abs(suggestion.sentiment) < 0.3
    assert abs(suggestion.sentiment) < abs(whole_text) / 3
    assert suggestion.details["sentences"]["neutral"] == 18


def test_a_clearly_negative_report_is_negative_with_high_confidence():
    text = ("The flood destroyed the town. Families lost everything in the terrible disaster. "
            "Rescuers were exhausted and grieving.")

    suggestion = VaderSentimentPredictor().predict([text], PredictionContext())[0]

    assert suggestion.sentiment < -0.5
    assert suggestion.sentiment_score == 1.0


def test_confidence_is_low_when_the_polarity_rests_on_few_sentences():
    text = "The council met. The budget was read aloud. The minutes were signed. Residents were furious and disgusted."

    suggestion = VaderSentimentPredictor().predict([text], PredictionContext())[0]

    assert suggestion.sentiment < -0.05
    assert suggestion.sentiment_score == 0.25


def test_a_text_without_sentences_has_no_sentiment():
    suggestion = VaderSentimentPredictor().predict(["   \n "], PredictionContext())[0]

    assert suggestion.sentiment is None and suggestion.sentiment_score is None


def test_sentence_polarities_scores_only_the_sentences_given():
    text = "What a wonderful day. What a horrible night."

    polarities = sentence_polarities(text, [(22, len(text))])

    assert len(polarities) == 1
    assert polarities[0][:2] == (22, len(text)) and polarities[0][2] < 0


def test_neutral_sentences_weigh_less_than_opinionated_ones():
    text = ("The council met on Monday. The budget was read aloud. Members asked about the harbour. "
            "The mayor answered. The clerk took notes. The session closed at noon. "
            "Residents called the decision a cruel and shameful betrayal.")
    compounds = [compound for _, _, compound in sentence_polarities(text)]
    plain_mean = sum(compounds) / len(compounds)

    suggestion = VaderSentimentPredictor().predict([text], PredictionContext())[0]

    assert compounds[:-1] == [0.0] * 6 and compounds[-1] < -0.5
    assert compounds[-1] < suggestion.sentiment < 2 * plain_mean
