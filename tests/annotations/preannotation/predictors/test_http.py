"""The HTTP predictor against a real local server that answers as each test tells it."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from annotations.preannotation.predictors.base import PredictionContext, PredictorError, TopicDefinition
from annotations.preannotation.predictors.http import HttpPredictor

TEXTS = ["🙂 Alma Verhoeven spoke in Valdoria.", "No names here."]
CONTEXT = PredictionContext(topics=(TopicDefinition("Politics"), TopicDefinition("Sport")))
GOOD_BODY = {"results": [
    {"spans": [{"start": 2, "end": 16, "label": "PERSON", "score": 0.9, "text": "ignored"},
               {"start": 26, "end": 34, "label": "GPE"}],
     "sentiment": 0.25, "topics": {"Politics": 0.8, "Sport": 0.1}},
    {"spans": [], "sentiment": None, "topics": {}},
]}


class _Service(BaseHTTPRequestHandler):
    def do_POST(self):
        server = self.server
        server.received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
        server.release.wait(server.delay)
        try:
            self.send_response(server.status)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(server.body if isinstance(server.body, bytes) else json.dumps(server.body).encode())
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting, as the timeout test intends

    def log_message(self, format, *args):
        pass


@pytest.fixture
def service():
    """A local server answering GOOD_BODY with 200 until a test sets status, body or delay."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Service)
    server.status, server.body, server.delay = 200, GOOD_BODY, 0
    server.received, server.release = [], threading.Event()
    server.url = f"http://127.0.0.1:{server.server_address[1]}/predict"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    yield server
    server.release.set()  # wake a handler still sleeping in the timeout test
    server.shutdown()
    server.server_close()
    thread.join()


def test_a_good_answer_becomes_suggestions_with_text_taken_from_the_input(service):
    predictor = HttpPredictor(service.url, timeout=2, name="newsdesk-ner", version="4",
                              headers={"Authorization": "Bearer fictional"})

    first, second = predictor.predict(TEXTS, CONTEXT)

    assert service.received == [{"texts": TEXTS, "topics": ["Politics", "Sport"]}]
    assert [(span.text, span.label, span.score) for span in first.spans] == [
        ("Alma Verhoeven", "PERSON", 0.9), ("Valdoria", "GPE", 1.0)]
    assert first.sentiment == 0.25 and first.topics == {"Politics": 0.8, "Sport": 0.1}
    assert (second.spans, second.sentiment, second.topics) == ([], None, {})


def test_a_slow_service_times_out(service):
    service.delay = 5

    with pytest.raises(PredictorError, match="did not answer within 0.2 s"):
        HttpPredictor(service.url, timeout=0.2).predict(TEXTS, CONTEXT)


def test_a_server_error_is_reported_with_its_status(service):
    service.status, service.body = 500, b"model crashed"

    with pytest.raises(PredictorError, match="answered 500: 'model crashed'"):
        HttpPredictor(service.url).predict(TEXTS, CONTEXT)


def test_a_body_that_is_not_json_is_refused(service):
    service.body = b"<html>maintenance</html>"

    with pytest.raises(PredictorError, match="not JSON"):
        HttpPredictor(service.url).predict(TEXTS, CONTEXT)


def test_a_wrong_number_of_results_is_refused(service):
    service.body = {"results": GOOD_BODY["results"][:1]}

    with pytest.raises(PredictorError, match="1 results for 2 texts"):
        HttpPredictor(service.url).predict(TEXTS, CONTEXT)


def test_a_span_outside_the_text_names_the_text_and_span(service):
    service.body = {"results": [GOOD_BODY["results"][0], {"spans": [{"start": 3, "end": 99, "label": "ORG"}]}]}

    with pytest.raises(PredictorError, match=r"result 1, span 0: offsets 3-99 .* \(length 14\)"):
        HttpPredictor(service.url).predict(TEXTS, CONTEXT)


@pytest.mark.parametrize("span, problem", [
    ({"start": 5, "end": 5, "label": "ORG"}, "not a non-empty range"),
    ({"start": "2", "end": 5, "label": "ORG"}, "must be integers"),
    ({"start": 2, "end": 5, "label": ""}, "label must be a non-empty string"),
    ({"start": 2, "end": 5, "label": "ORG", "score": "high"}, "score must be a number"),
    ({"start": 2, "end": 5, "label": "ORG", "score": 1.5}, r"score must be within \[0.0, 1.0\]"),
])
def test_malformed_spans_are_refused(service, span, problem):
    service.body = {"results": [{"spans": [span]}, {}]}

    with pytest.raises(PredictorError, match=f"result 0, span 0: .*{problem}"):
        HttpPredictor(service.url).predict(TEXTS, CONTEXT)


def test_a_service_that_is_not_there_is_reported():
    with pytest.raises(PredictorError, match="cannot reach"):
        HttpPredictor("http://127.0.0.1:9/predict", timeout=0.5).predict(TEXTS, CONTEXT)
