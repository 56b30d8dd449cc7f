"""A project's agreement report read from the database: entity sentiment over matched spans,
and each annotator's share of labels taken from suggestions unchanged."""

import pytest

from annotations.agreement.selectors import project_agreement_report
from annotations.queue import assignment_create
from annotations.services import annotation_submit
from annotations.validation import SpanInput
from tests import factories

pytestmark = pytest.mark.django_db

BODY = "Ana Reyes met the Harbour Board in Portvale."


def submit(item, annotator, *, toward, sentiment="neutral"):
    assignment_create(item=item, annotator=annotator)
    return annotation_submit(item=item, annotator=annotator, sentiment=sentiment,
                             spans=[SpanInput(0, 9, "PERSON", "Ana Reyes", toward)])


def test_report_carries_entity_sentiment_alpha_and_accepted_suggestion_shares():
    project = factories.ProjectFactory(overlap=2, entity_sentiment=True)
    items = [factories.ItemFactory(project=project, article=factories.ArticleFactory(body=BODY)) for _ in range(2)]
    cara, dan = factories.member(project, "annotator"), factories.member(project, "annotator")
    # Item 1: opposite sentiment toward Ana Reyes; item 2: the same.
    first = submit(items[0], cara, toward="positive")
    submit(items[0], dan, toward="negative")
    submit(items[1], cara, toward="neutral")
    submit(items[1], dan, toward="neutral")
    # As the submit records it: on item 1 cara accepted the suggested span and document sentiment.
    first.spans.update(origin="accepted", predictor="spacy-ner", predictor_version="3.8")
    first.provenance = {"sentiment": {"origin": "accepted", "predictor": "vader-sentiment", "version": "3.3"}}
    first.save()

    report = project_agreement_report(project=project)

    # Units (item 1, Ana) {2, 0} and (item 2, Ana) {1, 1}: o_02 = o_20 = 1, o_11 = 2; n_0 = 1, n_1 = 2, n_2 = 1.
    # Ordinal delta^2(0,2) = (4 - 1)^2 = 9, (0,1) = (1.5)^2, (1,2) = (1.5)^2.
    # D_o = 2*9 / 4 = 4.5;  D_e = 2 * (1*2*2.25 + 2*1*2.25 + 1*1*9) / (4*3) = 36/12 = 3;  alpha = 1 - 4.5/3 = -0.5
    assert report["entity_sentiment_alpha"] == pytest.approx(-0.5)
    assert report["per_annotator"][str(cara.pk)]["accepted_suggestions"] == {"spans": 0.5, "document_labels": 0.5}
    assert report["per_annotator"][str(dan.pk)]["accepted_suggestions"] == {"spans": 0.0, "document_labels": 0.0}
