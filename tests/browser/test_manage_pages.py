"""The managers' pages in Chromium: import with progress and report, export now, releases, dashboard."""

import hashlib
import io
import json
import re
import zipfile

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from annotations.models import Annotation, Assignment, GoldSplit, Item, ModelVersion, Release
from annotations.gold import gold_accept
from ingest.models import ImportBatch
from tests import factories
from tests.ingest.stories import REWRITE, SAME_EVENT, WIRE, text

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def desk():
    """Three items: two labelled alike by ana and ben and made gold, one awaiting annotators."""
    project = factories.ProjectFactory(name="Harbour desk", overlap=2)
    ana = factories.member(project, "annotator", username="ana")
    ben = factories.member(project, "annotator", username="ben")
    politics = project.topics.get(name="Politics")
    first, second, _ = factories.ItemFactory.create_batch(3, project=project)
    for item in (first, second):
        factories.label(item, ana, sentiment="positive", topics=[politics.pk], spans=[("Ana Reyes", "PERSON")])
        annotation = factories.label(item, ben, sentiment="positive", topics=[politics.pk],
                                     spans=[("Ana Reyes", "PERSON"), ("Portvale", "GPE")])
        gold_accept(item=item, reviewer=None, annotation=annotation)
    return project


def zipped(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_manager_imports_a_zip_and_a_text_file_and_reads_the_report(page, live_server, login, screenshot):
    login(factories.UserFactory(is_staff=True))
    page.goto(live_server.url + reverse("pages:imports"))
    wire = "Ferry pier closes\n\n" + text(WIRE)
    bundle = zipped({"wire.txt": wire, "rewrite.txt": "Commuters face disruption\n\n" + text(REWRITE),
                     "copy.txt": wire, "empty.txt": ""})
    page.set_input_files("#import-files", files=[
        {"name": "bundle.zip", "mimeType": "application/zip", "buffer": bundle},
        {"name": "council.txt", "mimeType": "text/plain", "buffer": ("Council meets\n\n" + text(SAME_EVENT)).encode()}])
    page.get_by_role("button", name="Import").click()

    expect(page.locator("#import-phase")).to_have_text(re.compile(r"Import #\d+ done"))
    expect(page.locator("#import-progress .progress")).to_have_attribute("aria-valuenow", "100")
    batch = ImportBatch.objects.get()
    expect(page.locator("#import-phase")).to_have_text(f"Import #{batch.pk} done")
    assert (batch.created_count, batch.near_duplicate_count, batch.duplicate_count, batch.failed_count) == (3, 1, 1, 1)
    for field in ("created_count", "near_duplicate_count", "duplicate_count", "failed_count"):
        expect(page.locator(f'#import-summary [data-count="{field}"]')).to_have_text(str(getattr(batch, field)))
    rows = page.locator("#import-items tbody tr")
    expect(rows).to_have_count(5)
    expect(page.locator("tr.outcome-failed")).to_contain_text("bundle.zip!/empty.txt")
    expect(page.locator("tr.outcome-failed")).to_contain_text("file is empty")
    expect(page.locator("tr.outcome-duplicate")).to_contain_text("same text as an article already stored")
    expect(page.locator("tr.outcome-joined-story")).to_have_count(1)
    expect(page.locator("tr.outcome-joined-story")).to_contain_text("Commuters face disruption")  # the rewrite
    screenshot("import")

    page.goto(live_server.url + reverse("pages:imports"))  # the batch stays one click away
    page.get_by_role("link", name=f"#{batch.pk}").click()
    expect(page.locator("#import-items tbody tr")).to_have_count(5)


def test_manager_downloads_the_gold_as_jsonl(page, live_server, login, desk, screenshot):
    login(factories.member(desk, "manager"))
    page.goto(live_server.url + reverse("pages:exports", args=[desk.pk]))
    screenshot("export")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download now").click()
    download = download_info.value

    assert download.suggested_filename == f"project-{desk.pk}.jsonl"
    lines = [json.loads(line) for line in open(download.path(), encoding="utf-8")]
    gold_items = desk.items.filter(status=Item.Status.GOLD)
    assert sorted(line["article_id"] for line in lines) == sorted(gold_items.values_list("article_id", flat=True))
    for line in lines:
        assert line["gold"]["sentiment"] == "positive"
        spans = [(span["label"], span["text"]) for span in line["gold"]["spans"]]
        assert spans == [("PERSON", "Ana Reyes"), ("GPE", "Portvale")]
        assert line["gold"]["topics"] == ["Politics"]


def test_manager_builds_a_release_and_downloads_it_later(page, live_server, login, desk, screenshot):
    login(factories.member(desk, "manager"))
    page.goto(live_server.url + reverse("pages:exports", args=[desk.pk]))
    expect(page.locator("#releases-empty")).to_be_visible()
    page.select_option("#export-format", "csv")
    page.fill("#release-note", "Baseline for the NER model")
    page.get_by_role("button", name="Build a release").click()

    row = page.locator('#releases tr[data-version="1"]')
    expect(row).to_contain_text("done")
    release = Release.objects.get(project=desk)
    expect(row).to_contain_text("Baseline for the NER model")
    expect(row.locator("td").nth(3)).to_have_text(str(release.document_count))
    expect(row.locator(f'td[title="{release.checksum}"]')).to_have_text(release.checksum[:12] + "…")
    screenshot("export-releases")
    with page.expect_download() as download_info:
        row.get_by_role("link", name="Download").click()

    content = open(download_info.value.path(), "rb").read()
    assert hashlib.sha256(content).hexdigest() == release.checksum
    assert (release.export_format, release.document_count) == ("csv", 2)


def test_dashboard_charts_and_tables_match_the_database(page, live_server, login, desk, screenshot):
    item = desk.items.filter(status=Item.Status.GOLD).first()
    Item.objects.filter(pk=item.pk).update(gold_split=GoldSplit.HELD_OUT)  # predictors are scored on this side only
    item.predictions.create(predictor="spacy-ner", version="3", labels={"spans": [
        {"start": 6, "end": 15, "label": "PERSON"}, {"start": 0, "end": 5, "label": "ORG"}]})
    for number, trained_on, score in ((1, 1, 0.4), (2, 2, 0.75)):
        ModelVersion.objects.create(project=desk, kind="sentiment", version=number, status="done", live=number == 2,
                                    trained_on=list(range(trained_on)), held_out_count=1, score=score,
                                    figures={"macro_f1": score, "baseline": {"predictor": "vader", "macro_f1": 0.3}})
    login(factories.member(desk, "reviewer"))
    page.goto(live_server.url + reverse("pages:dashboard", args=[desk.pk]))

    charts = page.locator("svg.chart[role=img]")
    expect(charts).to_have_count(8)  # seven sections' charts and the one kind with trained versions
    expect(page.locator("#throughput svg title").first).to_have_text("Submits per day, last 30 days")
    project_row = page.locator(f'#progress-projects tr[data-project="{desk.pk}"]')
    for status, column in ((None, "items"), (Item.Status.OPEN, "open"), (Item.Status.GOLD, "gold")):
        count = desk.items.filter(**({"status": status} if status else {})).count()
        expect(project_row.locator(f'[data-col="{column}"]')).to_have_text(str(count))
    for name in ("ana", "ben"):
        submitted = Assignment.objects.filter(item__project=desk, annotator__username=name, status="submitted").count()
        expect(page.locator(f'#progress-annotators tr[data-annotator="{name}"] [data-col="submitted"]')).to_have_text(
            str(submitted))
    today = page.locator("#throughput tbody tr").last.locator('[data-col="submits"]')
    expect(today).to_have_text(str(Annotation.objects.filter(item__project=desk).count()))
    expect(page.locator('#agreement-labels tr[data-label="PERSON"] [data-col="exact"]')).to_have_text("1.00")
    expect(page.locator('#agreement-labels tr[data-label="GPE"] [data-col="exact"]')).to_have_text("0.00")
    predictor = page.locator('#predictors tr[data-predictor="spacy-ner"]')
    expect(predictor.locator('[data-col="span_precision"]')).to_have_text("0.50")
    expect(predictor.locator('[data-col="span_recall"]')).to_have_text("0.50")
    expect(predictor.locator('[data-col="span_items"]')).to_have_text("1")
    curve = page.locator("#learning-sentiment circle.point")
    expect(curve).to_have_count(2)
    expect(page.locator("#learning-sentiment circle.point.live title")).to_have_text("v2 (live): 0.75 after 2")
    live = page.locator('#learning-sentiment-section tr[data-version="2"]')
    expect(live.locator('[data-col="live"]')).to_have_text("Live")
    expect(live.locator('[data-col="baseline"]')).to_have_text("0.30")
    expect(page.locator('#learning-sentiment-section tr[data-version="1"] [data-col="live"]')).to_have_text("—")
    screenshot("dashboard")
