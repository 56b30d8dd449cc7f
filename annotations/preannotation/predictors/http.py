"""A predictor served over HTTP, by any team's model, in this JSON protocol.

Request: ``POST <url>`` with ``Content-Type: application/json`` (plus any configured headers,
e.g. ``Authorization``)::

    {"texts": ["First article ...", "Second article ..."],
     "topics": ["Economy", "Sport"]}          # the project's topic names; may be []

Response: any 2xx status with a JSON body holding one result per text, in the order sent::

    {"results": [
        {"spans": [{"start": 0, "end": 11, "label": "PERSON", "score": 0.93}],
         "sentiment": -0.4,
         "topics": {"Economy": 0.82, "Sport": 0.03}},
        {"spans": [], "sentiment": null, "topics": {}}
    ]}

- ``start`` / ``end``: integers, ``0 <= start < end <= len(text)``, end-exclusive, counted in
  Unicode code points (Python ``str`` indices) -- not bytes, and not UTF-16 units as JavaScript
  strings count them: an emoji before a name shifts UTF-16 offsets by one.
- ``label``: a non-empty string in the service's own vocabulary; the project maps it.
- ``score``: a number in [0, 1]; 1.0 when left out.
- ``sentiment``: document polarity in [-1, 1], or null / left out when the service has none.
- ``topics``: topic name -> score in [0, 1]; left out or {} when the service suggests none.

The span text is read from the article at the offsets given; a service need not send it and
what it sends is ignored. Anything else -- a timeout, a refused connection, a non-2xx status, a
body that is not JSON, a result count that differs from the text count, an entry out of shape
-- fails the whole batch with a PredictorError that says what was wrong and for which text.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import requests

from .base import PredictionContext, PredictorError, SpanSuggestion, Suggestions

# How much of an error response's body goes into the error message.
BODY_EXCERPT = 200


class HttpPredictor:
    """Suggestions from a remote service (see the module docstring for the protocol).

    ``timeout`` is in seconds, for connecting and for each wait on the answer.
    """

    def __init__(self, url: str, *, timeout: float = 10.0, name: str = "http", version: str = "1",
                 headers: Mapping[str, str] | None = None):
        self.url = url
        self.timeout = timeout
        self.name = name
        self.version = version
        self.headers = dict(headers or {})

    @classmethod
    def from_options(cls, options: dict) -> HttpPredictor:
        """From a project's predictor options: ``url`` (required), ``timeout``, ``version``, ``headers``."""
        if not options.get("url"):
            raise PredictorError("The HTTP predictor needs a URL: set options.url on the project's predictor.")
        return cls(options["url"], timeout=float(options.get("timeout", 10.0)),
                   version=str(options.get("version", "1")), headers=options.get("headers") or None)

    def predict(self, texts: list[str], context: PredictionContext) -> list[Suggestions]:
        if not texts:
            return []
        payload = {"texts": list(texts), "topics": [topic.name for topic in context.topics]}
        return parse_results(self._post(payload), texts)

    def _post(self, payload: dict) -> object:
        """The decoded JSON body of the service's answer."""
        try:
            response = requests.post(self.url, json=payload, headers=self.headers, timeout=self.timeout)
        except requests.Timeout as error:
            raise PredictorError(f"{self.url} did not answer within {self.timeout} s") from error
        except requests.RequestException as error:
            raise PredictorError(f"cannot reach {self.url}: {error}") from error
        if not 200 <= response.status_code < 300:
            raise PredictorError(f"{self.url} answered {response.status_code}: "
                                 f"{response.text[:BODY_EXCERPT]!r}")
        try:
            return response.json()
        except ValueError as error:
            raise PredictorError(f"{self.url} answered with a body that is not JSON: "
                                 f"{response.text[:BODY_EXCERPT]!r}") from error


def parse_results(body: object, texts: list[str]) -> list[Suggestions]:
    """Suggestions from a decoded response body, checked against the texts sent."""
    results = body.get("results") if isinstance(body, dict) else None
    if not isinstance(results, list):
        raise PredictorError('the response is not an object with a "results" list')
    if len(results) != len(texts):
        raise PredictorError(f"the response has {len(results)} results for {len(texts)} texts")
    return [_parse_result(result, text, f"result {index}") for index, (result, text) in enumerate(zip(results, texts))]


def _parse_result(result: object, text: str, where: str) -> Suggestions:
    if not isinstance(result, dict):
        raise PredictorError(f"{where}: not an object")
    spans = result.get("spans") or []
    if not isinstance(spans, list):
        raise PredictorError(f'{where}: "spans" is not a list')
    topics = result.get("topics") or {}
    if not isinstance(topics, dict):
        raise PredictorError(f'{where}: "topics" is not an object')
    sentiment = result.get("sentiment")
    return Suggestions(
        spans=[_parse_span(span, text, f"{where}, span {number}") for number, span in enumerate(spans)],
        sentiment=None if sentiment is None else _number(sentiment, -1.0, 1.0, f'{where}: "sentiment"'),
        topics={name: _number(score, 0.0, 1.0, f"{where}: topic {name!r}") for name, score in topics.items()},
    )


def _parse_span(span: object, text: str, where: str) -> SpanSuggestion:
    if not isinstance(span, dict):
        raise PredictorError(f"{where}: not an object")
    start, end, label = span.get("start"), span.get("end"), span.get("label")
    if not _is_integer(start) or not _is_integer(end):
        raise PredictorError(f"{where}: start and end must be integers, got {start!r} and {end!r}")
    if not 0 <= start < end <= len(text):
        raise PredictorError(f"{where}: offsets {start}-{end} are not a non-empty range "
                             f"within the text (length {len(text)})")
    if not isinstance(label, str) or not label:
        raise PredictorError(f"{where}: label must be a non-empty string, got {label!r}")
    score = _number(span.get("score", 1.0), 0.0, 1.0, f"{where}: score")
    return SpanSuggestion(start=start, end=end, label=label, text=text[start:end], score=score)


def _is_integer(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _number(value: object, low: float, high: float, where: str) -> float:
    """value as a float within [low, high]; booleans, strings, NaN and infinities are refused."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise PredictorError(f"{where} must be a number, got {value!r}")
    if not low <= value <= high:
        raise PredictorError(f"{where} must be within [{low}, {high}], got {value}")
    return float(value)
