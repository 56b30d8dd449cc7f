"""python manage.py import_articles: files, folders, options, summary, re-runs, dry runs."""

import json

import pytest
from django.core.management import CommandError, call_command

from ingest.models import Article, ImportBatch
from tests.ingest.stories import REWRITE, SAME_EVENT, WIRE, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def folder(tmp_path):
    root = tmp_path / "incoming"
    (root / "nested").mkdir(parents=True)
    (root / "pier.txt").write_text("Portvale closes ferry pier\n\n" + text(WIRE), encoding="utf-8")
    (root / "nested" / "rewrite.txt").write_text("Commuters face disruption\n\n" + text(REWRITE), encoding="utf-8")
    (root / "nested" / "empty.txt").write_text("", encoding="utf-8")
    return root


def call(*args):
    from io import StringIO

    out = StringIO()
    call_command("import_articles", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_imports_a_folder_recursively_and_prints_the_summary(folder):
    output = call(str(folder), "--source", "Harbor Ledger")
    assert Article.objects.count() == 2
    assert set(Article.objects.values_list("source__name", flat=True)) == {"Harbor Ledger"}
    assert "created" in output and "same story as another" in output
    assert "empty.txt" in output and "empty" in output.lower()
    batch = ImportBatch.objects.get()
    assert (batch.created_count, batch.near_duplicate_count, batch.failed_count) == (2, 1, 1)


def test_rerun_adds_nothing(folder):
    call(str(folder))
    call(str(folder))
    assert Article.objects.count() == 2
    assert ImportBatch.objects.order_by("id").last().duplicate_count == 2


def test_dry_run_writes_nothing(folder):
    output = call(str(folder), "--dry-run")
    assert "Dry run" in output
    assert Article.objects.count() == 0 and ImportBatch.objects.count() == 0


def test_csv_with_column_mapping(tmp_path):
    path = tmp_path / "table.csv"
    path.write_text('headline,content\n"Pier closes","' + text(WIRE) + '"\n', encoding="utf-8")
    call(str(path), "--column", "text=content", "--column", "title=headline")
    assert Article.objects.get().title == "Pier closes"


def test_bad_column_option_is_a_command_error(tmp_path):
    with pytest.raises(CommandError, match="FIELD=COLUMN"):
        call(str(tmp_path), "--column", "text")


def test_missing_path_is_reported_not_crashed(tmp_path):
    (tmp_path / "ok.jsonl").write_text(json.dumps({"text": text(SAME_EVENT)}) + "\n", encoding="utf-8")
    output = call(str(tmp_path / "ok.jsonl"), str(tmp_path / "missing.txt"))
    assert Article.objects.count() == 1
    assert "missing.txt" in output


def test_workers_prepare_in_processes(folder):
    call(str(folder), "--workers", "2")
    assert Article.objects.count() == 2
