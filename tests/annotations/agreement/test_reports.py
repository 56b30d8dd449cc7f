"""Stored agreement reports: a worker computes them after labels change (one refresh for many
changes), the dashboard and the API show them with their age, and a sweep resends lost refreshes."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from annotations.agreement import reports
from annotations.agreement.reports import (project_agreement_mark_stale, project_agreement_refresh,
                                           project_agreement_stored, project_agreements_sweep)
from annotations.agreement.selectors import project_agreement_report
from annotations.gold import gold_accept, gold_reopen
from annotations.models import ProjectAgreement
from annotations.tasks import project_agreement_refresh_task
from tests.factories import ItemFactory, ProjectFactory, UserFactory, label, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def project():
    return ProjectFactory(name="Agreement desk", overlap=2)


@pytest.fixture
def with_worker(monkeypatch):
    """Refreshes sent as to a worker (here run at once, eager), not left for the next read."""
    monkeypatch.setattr(reports, "_eager", lambda: False)


@pytest.fixture
def sent(monkeypatch):
    """The refreshes sent to the broker: (project id, countdown), instead of running them."""
    messages = []
    monkeypatch.setattr(project_agreement_refresh_task, "apply_async",
                        lambda args, countdown=None: messages.append((args[0], countdown)))
    monkeypatch.setattr(project_agreement_refresh_task, "delay", lambda *args: messages.append((args[0], None)))
    monkeypatch.setattr(reports, "_eager", lambda: False)  # as with a worker: sent, not run here
    return messages


def _labelled(project, items=2):
    ana, ben = member(project, "annotator", username="ana"), member(project, "annotator", username="ben")
    for item in ItemFactory.create_batch(items, project=project):
        label(item, ana, sentiment="positive", spans=[("Ana Reyes", "PERSON")])
        label(item, ben, sentiment="negative", spans=[("Ana Reyes", "PERSON"), ("Portvale", "GPE")])
    return ana, ben


def test_the_refresh_stores_the_report_the_pure_computation_gives(project):
    _labelled(project)

    stored = project_agreement_refresh(project_id=project.pk)

    assert stored.report == project_agreement_report(project=project)
    assert stored.report["items"] == 2 and stored.annotations == 4
    assert stored.computed_at is not None and stored.duration_ms is not None
    assert not stored.pending


def test_a_second_refresh_without_label_changes_does_nothing(project):
    _labelled(project)
    first = project_agreement_refresh(project_id=project.pk)

    assert project_agreement_refresh(project_id=project.pk) is None
    assert ProjectAgreement.objects.get(pk=project.pk).computed_at == first.computed_at


def test_many_submits_queue_one_refresh_after_the_delay_and_mark_the_row_once(
        project, settings, sent, django_capture_on_commit_callbacks):
    settings.AGREEMENT_REFRESH_DELAY = 45
    annotators = [member(project, "annotator") for _ in range(10)]
    items = ItemFactory.create_batch(10, project=project)

    with django_capture_on_commit_callbacks(execute=True):
        label(items[0], annotators[0], sentiment="neutral")
        marked = ProjectAgreement.objects.get(pk=project.pk).stale_since
        for annotator, item in zip(annotators[1:], items[1:]):
            label(item, annotator, sentiment="neutral")

    assert sent == [(project.pk, 45)]
    assert marked is not None and ProjectAgreement.objects.get(pk=project.pk).stale_since == marked


def test_a_slow_refresh_spaces_the_next_one_out(project, settings, sent, django_capture_on_commit_callbacks):
    settings.AGREEMENT_REFRESH_DELAY = 60
    ProjectAgreement.objects.create(project=project, report={}, computed_at=timezone.now(), duration_ms=30_000)

    with django_capture_on_commit_callbacks(execute=True):
        assert project_agreement_mark_stale(project_id=project.pk) is True

    assert sent == [(project.pk, 300)]  # ten times the last refresh's 30 s


def test_a_marked_report_is_not_written_again(project, django_capture_on_commit_callbacks):
    ProjectAgreement.objects.create(project=project, stale_since=timezone.now() - timedelta(seconds=5))
    marked = ProjectAgreement.objects.get(pk=project.pk).stale_since

    with django_capture_on_commit_callbacks() as callbacks:
        assert project_agreement_mark_stale(project_id=project.pk) is False

    assert callbacks == [] and ProjectAgreement.objects.get(pk=project.pk).stale_since == marked


def test_labels_changed_during_a_refresh_mark_the_report_stale_again(project, monkeypatch, sent):
    _labelled(project, items=1)
    assert ProjectAgreement.objects.get(pk=project.pk).stale_since is not None  # marked by the submits

    def submit_meanwhile(*, project):
        assert project_agreement_mark_stale(project_id=project.pk) is True  # claimed: the mark was cleared
        return {"items": 0, "per_annotator": {}}

    monkeypatch.setattr("annotations.agreement.reports.project_agreement_report", submit_meanwhile)
    stored = project_agreement_refresh(project_id=project.pk)

    assert stored.report == {"items": 0, "per_annotator": {}}
    assert stored.stale_since is not None and stored.pending


def test_an_older_refresh_finishing_after_a_newer_one_is_not_stored(project, monkeypatch):
    _labelled(project, items=1)
    assert ProjectAgreement.objects.get(pk=project.pk).stale_since is not None  # marked by the submits

    def newer_claims_meanwhile(*, project):
        ProjectAgreement.objects.filter(pk=project.pk).update(refresh_started_at=timezone.now() + timedelta(1))
        return {"items": 99, "per_annotator": {}}

    monkeypatch.setattr("annotations.agreement.reports.project_agreement_report", newer_claims_meanwhile)

    assert project_agreement_refresh(project_id=project.pk) is None
    assert ProjectAgreement.objects.get(pk=project.pk).report is None


def test_gold_decisions_mark_the_report_stale(with_worker, project, django_capture_on_commit_callbacks):
    ana, _ = _labelled(project, items=1)
    project_agreement_refresh(project_id=project.pk)
    item = project.items.get()

    with django_capture_on_commit_callbacks(execute=True):
        gold_accept(item=item, reviewer=UserFactory(), annotation=item.annotations.filter(annotator=ana).get())
    assert ProjectAgreement.objects.get(pk=project.pk).report["per_annotator"][str(ana.pk)]["gold"]["items"] == 1

    with django_capture_on_commit_callbacks(execute=True):
        gold_reopen(item=item, reviewer=UserFactory(), reason="Wrong entity")
    assert ProjectAgreement.objects.get(pk=project.pk).report["per_annotator"][str(ana.pk)]["gold"] is None


def test_without_a_report_the_first_is_asked_for_once_and_shown_empty(project, sent):
    _labelled(project, items=1)
    ProjectAgreement.objects.filter(pk=project.pk).delete()

    first = project_agreement_stored(project=project)
    second = project_agreement_stored(project=project)

    assert sent == []  # sent after the commit
    assert first["computed_at"] is None and first["pending"] and first["items"] == 0
    assert first["span_f1"] == {"ALL": {"exact": None, "overlap": None}} and second["pending"]
    assert ProjectAgreement.objects.filter(pk=project.pk, stale_since__isnull=False).count() == 1


def test_the_sweep_resends_lost_refreshes_and_hands_back_dead_claims(project, settings, sent):
    settings.AGREEMENT_REFRESH_DELAY, settings.AGREEMENT_REQUEUE_AFTER = 60, 600
    now = timezone.now()
    lost, dead, waiting, fresh = ProjectFactory.create_batch(4)
    ProjectAgreement.objects.create(project=lost, stale_since=now - timedelta(seconds=700))
    ProjectAgreement.objects.create(project=dead, refresh_started_at=now - timedelta(seconds=700))
    ProjectAgreement.objects.create(project=waiting, stale_since=now - timedelta(seconds=30))
    ProjectAgreement.objects.create(project=fresh, report={}, computed_at=now)

    assert sorted(project_agreements_sweep()) == sorted([lost.pk, dead.pk])

    assert sorted(sent) == sorted([(lost.pk, None), (dead.pk, None)])
    handed_back = ProjectAgreement.objects.get(pk=dead.pk)
    assert handed_back.refresh_started_at is None and handed_back.stale_since is not None


def test_the_dashboard_shows_the_stored_report_its_age_and_a_pending_update(with_worker, client, project):
    _labelled(project)
    project_agreement_refresh(project_id=project.pk)
    client.force_login(member(project, "reviewer"))

    html = client.get(reverse("pages:dashboard", args=[project.pk])).content.decode()
    assert 'id="agreement-as-of" data-pending="false"' in html and "Over 2 items" in html

    label(ItemFactory(project=project), member(project, "annotator"), sentiment="neutral")
    html = client.get(reverse("pages:dashboard", args=[project.pk])).content.decode()
    assert 'data-pending="true"' in html and "an update is" in html and "Over 2 items" in html


def test_the_dashboard_says_the_first_report_is_being_computed(client, project, sent):
    client.force_login(member(project, "reviewer"))

    html = client.get(reverse("pages:dashboard", args=[project.pk])).content.decode()

    assert "The agreement report is being computed" in html


def test_the_api_shows_the_stored_figures_until_the_refresh_runs(with_worker, project):
    from tests.annotations.test_api import client_for

    ana, _ = _labelled(project)
    project_agreement_refresh(project_id=project.pk)
    reviewer = member(project, "reviewer")
    label(ItemFactory(project=project), ana, sentiment="neutral")

    body = client_for(reviewer).get(f"/api/projects/{project.pk}/agreement/").json()
    assert body["items"] == 2 and body["per_annotator"][str(ana.pk)]["items"] == 2
    assert body["pending"] is True and body["stale_since"] is not None and body["computed_at"] is not None

    project_agreement_refresh_task.delay(project.pk)
    body = client_for(reviewer).get(f"/api/projects/{project.pk}/agreement/").json()
    assert body["per_annotator"][str(ana.pk)]["items"] == 3 and body["pending"] is False


def test_without_a_worker_labels_only_mark_the_report_and_reading_it_refreshes_it(
        project, django_capture_on_commit_callbacks):
    # Eager mode (no broker): a refresh per submit would run inside each labeling request.
    annotators = [member(project, "annotator") for _ in range(2)]
    item = ItemFactory(project=project)
    with django_capture_on_commit_callbacks(execute=True):
        for annotator in annotators:
            label(item, annotator, sentiment="neutral")
    row = ProjectAgreement.objects.get(pk=project.pk)
    assert row.report is None and row.stale_since is not None

    stored = project_agreement_stored(project=project)

    assert stored["computed_at"] is not None and stored["items"] == 1 and not stored["pending"]
