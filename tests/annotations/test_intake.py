"""Intake: a finished import offers its articles to projects whose rules match."""

import pytest

from annotations.intake import items_create_for_batch
from annotations.models import Item, Project
from ingest import services
from ingest.readers import read_records
from tests.factories import ProjectFactory
from tests.ingest.stories import REWRITE, SAME_EVENT, WIRE, text

pytestmark = pytest.mark.django_db


def import_records(records):
    batch = services.import_batch_create()
    return services.import_batch_run(batch=batch, results=read_records(records))


def test_import_creates_items_for_matching_projects_after_commit(django_capture_on_commit_callbacks):
    everything = ProjectFactory(intake=Project.Intake.ALL)
    ferries = ProjectFactory(intake=Project.Intake.KEYWORDS, intake_keywords=["floating dock"])
    by_source = ProjectFactory(intake=Project.Intake.SOURCES)
    manual = ProjectFactory(intake=Project.Intake.MANUAL)
    with django_capture_on_commit_callbacks(execute=True):
        batch = import_records([{"text": text(WIRE), "source": "Harbor Ledger"}, {"text": text(SAME_EVENT)}])
    assert Item.objects.filter(project=everything).count() == 2
    assert Item.objects.filter(project=ferries).count() == 2  # both mention the floating dock
    assert not Item.objects.filter(project__in=[by_source, manual]).exists()
    by_source.intake_sources.add(batch.articles.get(source__name="Harbor Ledger").source)
    assert items_create_for_batch(batch=batch)[by_source.pk] == 1
    assert Item.objects.filter(project=by_source).count() == 1


def test_intake_is_idempotent():
    project = ProjectFactory(intake=Project.Intake.BATCHES)
    batch = import_records([{"text": text(REWRITE)}])
    project.intake_batches.add(batch)
    items_create_for_batch(batch=batch)
    items_create_for_batch(batch=batch)
    assert Item.objects.filter(project=project).count() == 1
