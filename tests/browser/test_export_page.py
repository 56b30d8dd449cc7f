"""The export page in Chromium: every item refused before submitting for the formats that hold only
gold, the CSV formula option, and a CSV of every item downloaded."""

import csv

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from annotations.gold import gold_accept
from annotations.models import Release
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def desk():
    """Two items, one of them gold, its title a spreadsheet formula."""
    project = factories.ProjectFactory(name="Harbour desk")
    gold_item, _ = factories.ItemFactory.create_batch(2, project=project)
    gold_item.article.title = "=1+1 Harbour"
    gold_item.article.save(update_fields=["title"])
    gold_accept(item=gold_item, reviewer=None, sentiment="positive")
    return project


def test_every_item_is_refused_for_conll_before_submitting_and_csv_exports_it(page, live_server, login, desk,
                                                                             screenshot):
    login(factories.member(desk, "manager"))
    page.goto(live_server.url + reverse("pages:exports", args=[desk.pk]))
    refused = page.locator("#export-every-item-refused")
    expect(refused).to_be_hidden()
    expect(page.locator("#export-csv-formulas-row")).to_be_hidden()  # JSONL chosen: no CSV option

    page.select_option("#export-format", "conll")
    page.select_option("#export-gold-only", "false")

    expect(refused).to_be_visible()
    expect(refused).to_contain_text("CoNLL-2003 BIO holds only items with gold, so it cannot export every item")
    expect(refused).to_contain_text("Choose JSONL or CSV")
    expect(page.get_by_role("button", name="Download now")).to_be_disabled()
    expect(page.get_by_role("button", name="Build a release")).to_be_disabled()
    screenshot("export-every-item-refused")

    page.select_option("#export-format", "csv")
    expect(refused).to_be_hidden()
    expect(page.locator("#export-csv-formulas-row")).to_be_visible()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download now").click()
    with open(download_info.value.path(), encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    assert [(row["title"], row["has_gold"]) for row in rows] == [("'=1+1 Harbour", "true"), (rows[1]["title"], "false")]
    assert not Release.objects.exists()


def test_annotations_of_every_item_download_as_conll_with_whose_labels_they_are(page, live_server, login, desk):
    annotator = factories.member(desk, "annotator", username="ana")
    item = desk.items.exclude(gold__status="accepted").get()
    factories.label(item, annotator, sentiment="neutral", spans=[("Ana Reyes", "PERSON")])
    login(factories.member(desk, "manager"))
    page.goto(live_server.url + reverse("pages:exports", args=[desk.pk]))

    page.select_option("#export-format", "conll")
    page.select_option("#export-gold-only", "false")
    expect(page.locator("#export-every-item-refused")).to_be_visible()
    page.select_option("#export-labels", "annotations")
    expect(page.locator("#export-every-item-refused")).to_be_hidden()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download now").click()

    lines = [line for line in open(download_info.value.path(), encoding="utf-8").read().splitlines() if line]
    assert lines[0] == "-DOCSTART- -X- O O"
    assert {line.split(" ")[2] for line in lines[1:]} == {"ana"}
    assert ["Ana B-PERSON", "Reyes I-PERSON"] == [f"{line.split(' ')[0]} {line.split(' ')[3]}" for line in lines
                                                  if line.split(" ")[3] != "O"]
