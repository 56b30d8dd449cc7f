"""Document sentiment from VADER, scored sentence by sentence and aggregated.

VADER's compound score is a squashed sum of word valences, so on a whole article it saturates
towards +/-0.9 whatever the balance of the text. Each sentence is scored on its own instead, and
the document polarity is a weighted mean of sentence compounds (see ``aggregate_polarity``).

Sentences come from a regex splitter: a few microseconds per article, offsets are code points
(plain ``str`` indices), and common abbreviations ("Mr.", "U.S.", "J. Smith") do not end a sentence.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Sequence

from .base import PredictionContext, Suggestions

# VADER's own cut-off: compounds within +/-0.05 are neutral.
NEUTRAL_THRESHOLD = 0.05
# News copy is mostly neutral reporting. Counted in full, neutral sentences would pull every
# article towards 0; left out, one quoted insult would set the tone of a long report. A quarter
# keeps them as ballast without letting them drown what the opinionated sentences say.
NEUTRAL_WEIGHT = 0.25

# Sentence end: terminal punctuation, closing quotes or brackets, then whitespace; or a line break.
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]]*\s+|\s*\n\s*")
_LAST_WORD = re.compile(r"(\S+)$")
# Words whose trailing period is not a sentence end, casefolded and without the period.
ABBREVIATIONS = frozenset(
    "mr mrs ms mx dr prof sr jr st mt gen lt col sgt capt adm sen rep gov pres rev fr hon "
    "no vs etc inc ltd corp co jan feb mar apr jun jul aug sep sept oct nov dec".split()
)

Sentence = tuple[int, int]  # (start, end) code-point offsets, end-exclusive


@functools.cache
def analyzer():
    """One SentimentIntensityAnalyzer per process: it reads its lexicon files when built."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def sentence_bounds(text: str) -> list[Sentence]:
    """Sentences of text as (start, end) offsets, without surrounding whitespace; empty ones dropped."""
    bounds: list[Sentence] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if _continues_sentence(text, match):
            continue
        _append_trimmed(bounds, text, start, match.end())
        start = match.end()
    _append_trimmed(bounds, text, start, len(text))
    return bounds


def _continues_sentence(text: str, match: re.Match) -> bool:
    """A period after an abbreviation or an initial, or one followed by a lowercase word, is no end."""
    if "\n" in match.group() or not match.group().startswith(".") or match.group().startswith(".."):
        return False
    following = text[match.end() : match.end() + 1]
    if following.islower():
        return True
    word = _LAST_WORD.search(text, max(0, match.start() - 30), match.start())
    if word is None:
        return False
    word_text = word.group(1).lstrip("\"'“‘([")
    is_initial = len(word_text) == 1 and word_text.isupper()
    # "U.S", "a.m": a dotted abbreviation; it may end a sentence, but far more often it does not.
    return is_initial or "." in word_text or word_text.casefold() in ABBREVIATIONS


def _append_trimmed(bounds: list[Sentence], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        bounds.append((start, end))


def sentence_polarities(text: str, sentences: Sequence[Sentence] | None = None) -> list[tuple[int, int, float]]:
    """(start, end, VADER compound) for each sentence of text, or for the sentences given."""
    sentences = sentence_bounds(text) if sentences is None else sentences
    score = analyzer().polarity_scores
    return [(start, end, score(text[start:end])["compound"]) for start, end in sentences]


def aggregate_polarity(compounds: Sequence[float]) -> float | None:
    """Weighted mean of sentence compounds, neutral sentences at NEUTRAL_WEIGHT; None if there are none."""
    if not compounds:
        return None
    weights = [1.0 if abs(compound) >= NEUTRAL_THRESHOLD else NEUTRAL_WEIGHT for compound in compounds]
    return sum(weight * compound for weight, compound in zip(weights, compounds)) / sum(weights)


def polarity_class(compound: float) -> str:
    """"positive", "negative" or "neutral", by VADER's threshold."""
    if compound >= NEUTRAL_THRESHOLD:
        return "positive"
    if compound <= -NEUTRAL_THRESHOLD:
        return "negative"
    return "neutral"


class VaderSentimentPredictor:
    """Document polarity in [-1, 1] and a confidence, from sentence-level VADER scores.

    ``sentiment_score`` is the share of sentences whose own class (positive, negative, neutral)
    agrees with the document's: 1.0 when every sentence says the same, low when the polarity
    rests on a few sentences of a mostly neutral or divided article. ``details["sentences"]``
    counts sentences per class.
    """

    name = "vader-sentiment"
    version = "3.3.2+1"  # the vaderSentiment release, then this module's aggregation scheme

    def predict(self, texts: list[str], context: PredictionContext) -> list[Suggestions]:
        return [self._suggest(text) for text in texts]

    def _suggest(self, text: str) -> Suggestions:
        compounds = [compound for _, _, compound in sentence_polarities(text)]
        polarity = aggregate_polarity(compounds)
        if polarity is None:
            return Suggestions(details={"sentences": {}})
        classes = Counter(polarity_class(compound) for compound in compounds)
        agreement = classes[polarity_class(polarity)] / len(compounds)
        return Suggestions(sentiment=round(polarity, 4), sentiment_score=round(agreement, 4),
                           details={"sentences": dict(classes)})
