"""Model versions over the API (roles, 202 with the version, promotion, roll-back, 400/409) and
the train_models command."""

import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from annotations.models import ModelVersion
from tests import factories

from .gold import sentiment_gold

pytestmark = pytest.mark.django_db


@pytest.fixture
def project():
    project = factories.ProjectFactory()
    sentiment_gold(project)
    return project


def _client(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.mark.parametrize(("role", "read", "write"), [
    ("annotator", 403, 403), ("reviewer", 200, 403), ("manager", 200, 202)])
def test_reviewers_read_versions_managers_start_trainings(project, role, read, write,
                                                           django_capture_on_commit_callbacks):
    client = _client(factories.member(project, role))
    url = f"/api/projects/{project.pk}/models/"
    assert client.get(url).status_code == read
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"kind": "sentiment"}, format="json")
    assert response.status_code == write
    if write == 202:
        assert response.json()["kind"] == "sentiment" and response.json()["version"] == 1


def test_outsiders_get_404(project):
    assert _client(factories.UserFactory()).get(f"/api/projects/{project.pk}/models/").status_code == 404


def test_versions_list_figures_and_which_is_live_promote_and_roll_back(project, django_capture_on_commit_callbacks):
    client = _client(factories.member(project, "manager"))
    url = f"/api/projects/{project.pk}/models/"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"kind": "sentiment"}, format="json")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"kind": "sentiment", "train_limit": 6}, format="json")

    listed = client.get(url, {"kind": "sentiment"}).json()["results"]
    assert [(row["version"], row["live"], row["promotion"]) for row in listed] == [
        (2, False, "not_promoted"), (1, True, "promoted")]
    assert listed[0]["comparison"]["live_version"] == 1 and listed[0]["figures"]["n_items"] == 6
    assert listed[1]["comparison"]["live_version"] is None and listed[1]["trained_on_count"] == 12

    promoted = client.post(f"{url}{listed[0]['id']}/promote/")
    assert promoted.status_code == 200 and promoted.json()["live"] is True
    rolled = client.post(f"{url}rollback/", {"kind": "sentiment"}, format="json")
    assert rolled.status_code == 200 and rolled.json()["version"] == 1 and rolled.json()["live"] is True


def test_bad_input_is_400_and_a_second_training_409(project, django_capture_on_commit_callbacks):
    client = _client(factories.member(project, "manager"))
    url = f"/api/projects/{project.pk}/models/"
    assert client.post(url, {"kind": "astrology"}, format="json").status_code == 400
    assert client.post(url, {"kind": "sentiment", "train_limit": 0}, format="json").status_code == 400
    with django_capture_on_commit_callbacks(execute=False):  # pending: not yet sent
        assert client.post(url, {"kind": "sentiment"}, format="json").status_code == 202
    assert client.post(url, {"kind": "sentiment"}, format="json").status_code == 409
    pending = ModelVersion.objects.get(project=project)
    assert client.post(f"{url}{pending.pk}/promote/").status_code == 409
    assert client.post(f"{url}rollback/", {"kind": "sentiment"}, format="json").status_code == 409


@pytest.mark.django_db(transaction=True)  # the training is sent (eager: run) when the command's transaction commits
def test_the_command_trains_and_prints_the_held_out_figures(project, capsys):
    call_command("train_models", "--project", str(project.pk), "--kind", "sentiment", "--wait", "--timeout", "60")

    out = capsys.readouterr().out
    assert "sentiment v1: done, trained on 12 gold items" in out
    assert "held out: 6 items" in out and "baseline vader-sentiment: accuracy" in out and "macro_f1 " in out and "promoted (no live version)" in out


def test_the_command_refuses_an_unknown_project():
    with pytest.raises(CommandError, match="No project"):
        call_command("train_models", "--project", "999999")
