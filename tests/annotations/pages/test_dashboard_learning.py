"""The dashboard's learning section: a curve per learnable kind from the project's model
versions (rows with figures, no training), the live version marked, the baseline beside each."""

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from annotations.models import ModelVersion
from annotations.pages.dashboard.learning import learning_curves
from tests.factories import ProjectFactory, member

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"
Status = ModelVersion.Status


def ner_version(project, number, *, trained_on, f1, shipped_f1, live=False, status=Status.DONE, **fields):
    return ModelVersion.objects.create(
        project=project, kind="ner", version=number, status=status, live=live, trained_on=list(range(trained_on)),
        held_out_count=12, score=f1 if status == Status.DONE else None,
        figures={"f1": f1, "baseline": {"predictor": "spacy-ner", "f1": shipped_f1}} if status == Status.DONE else {},
        **fields)


@pytest.fixture
def project():
    project = ProjectFactory(name="Learning desk")
    ner_version(project, 1, trained_on=25, f1=0.52, shipped_f1=0.61,
                promotion=ModelVersion.Promotion.NOT_PROMOTED)
    ner_version(project, 2, trained_on=50, f1=0.71, shipped_f1=0.6, live=True,
                promotion=ModelVersion.Promotion.PROMOTED, comparison={"live_version": None, "live_score": None})
    ner_version(project, 3, trained_on=100, f1=0.69, shipped_f1=0.62, promotion=ModelVersion.Promotion.NOT_PROMOTED,
                comparison={"live_version": 2, "live_score": 0.7, "score": 0.69, "items": 12, "better": False})
    ner_version(project, 4, trained_on=0, f1=None, shipped_f1=None, status=Status.TRAINING)
    ModelVersion.objects.create(project=project, kind="sentiment", version=1, status=Status.DONE, live=True,
                                trained_on=[1, 2, 3], held_out_count=4, score=0.8,
                                figures={"accuracy": 0.75, "macro_f1": 0.8,
                                         "baseline": {"predictor": "vader", "accuracy": 0.5, "macro_f1": 0.4}})
    return project


def test_learning_curves_list_every_kind_with_its_done_versions_in_order(project):
    curves = {curve["kind"]: curve for curve in learning_curves(project=project)}

    assert set(curves) == {"ner", "entity-sentiment", "sentiment", "topics"}
    ner = curves["ner"]
    assert (ner["score_name"], ner["baseline_name"]) == ("Span F1", "spacy-ner")
    assert [(row["version"], row["trained_on"], row["score"], row["baseline_score"], row["live"])
            for row in ner["versions"]] == [(1, 25, 0.52, 0.61, False), (2, 50, 0.71, 0.6, True),
                                            (3, 100, 0.69, 0.62, False)]
    assert ner["unfinished"] == [{"version": 4, "status": "Training"}]
    sentiment = curves["sentiment"]
    assert (sentiment["versions"][0]["baseline_score"], sentiment["baseline_name"]) == (0.4, "vader")
    assert (sentiment["other_figures"], sentiment["versions"][0]["others"]) == (["Accuracy"], [0.75])
    assert ner["other_figures"] == []  # entities record span figures only
    assert curves["topics"]["versions"] == [] and curves["entity-sentiment"]["versions"] == []


def _chart(html: str, kind: str) -> ET.Element:
    start = html.index(f'<svg class="chart" id="learning-{kind}"')
    return ET.fromstring(html[start:html.index("</svg>", start) + len("</svg>")])


def _row(html: str, kind: str, version: int) -> str:
    section = html.split(f'id="learning-{kind}-section"', 1)[1]
    return section.split(f'<tr data-version="{version}"', 1)[1].split("</tr>", 1)[0]


def _head(html: str, kind: str) -> str:
    return html.split(f'id="learning-{kind}-section"', 1)[1].split("<thead>", 1)[1].split("</thead>", 1)[0]


def _cell(row: str, column: str) -> str:
    return row.split(f'data-col="{column}">', 1)[1].split("</td>", 1)[0].strip()


def test_the_page_draws_the_curve_marks_the_live_version_and_shows_the_figures(client, project):
    client.force_login(member(project, "reviewer"))

    html = client.get(reverse("pages:dashboard", args=[project.pk])).content.decode()

    svg = _chart(html, "ner")
    points = [circle.find(f"{SVG}title").text for circle in svg.iter(f"{SVG}circle")
              if "point" in circle.get("class", "")]
    assert points == ["v1: 0.52 after 25", "v2 (live): 0.71 after 50", "v3: 0.69 after 100"]
    assert [c.get("class") for c in svg.iter(f"{SVG}circle")].count("point live") == 1
    assert "Entities: held-out Span F1 by version" in svg.find(f"{SVG}title").text
    live, later = _row(html, "ner", 2), _row(html, "ner", 3)
    assert 'class="live"' in live and "Live" in _cell(live, "live") and "Live" not in _cell(later, "live")
    assert (_cell(later, "trained_on"), _cell(later, "held_out"), _cell(later, "score")) == ("100", "12", "0.69")
    assert (_cell(later, "baseline"), _cell(later, "live_then")) == ("0.62", "v2: 0.70")
    assert "did not beat" in _cell(later, "promotion")
    assert "v4 (training)" in html.split('id="learning-ner-section"', 1)[1].split("</div>", 1)[0]
    sentiment = _row(html, "sentiment", 1)
    assert (_cell(sentiment, "score"), _cell(sentiment, "baseline")) == ("0.80", "0.40")
    assert "<td>0.75</td>" in sentiment  # accuracy, beside macro-F1 (the score), shown once
    assert _head(html, "sentiment").count("Macro-F1") == 1
    topics = html.split('id="learning-topics-section"', 1)[1].split("</div>", 1)[0]
    assert "No trained version yet" in topics and "<svg" not in topics
    assert " style=" not in html.split('id="learning"', 1)[1]  # the Content-Security-Policy forbids inline styles
