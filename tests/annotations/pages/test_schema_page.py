"""The schema editor page: only the project's managers and staff open it (others 403, strangers
to the login page), the start page and the dashboard link it for managers, and the guidelines
preview renders what annotators would see, escaped, for managers only and with the CSRF token."""

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def project():
    return factories.ProjectFactory(name="Harbour desk")


def _client(user, **options):
    client = Client(**options)
    client.force_login(user)
    return client


@pytest.mark.parametrize(("role", "status"), [("annotator", 403), ("reviewer", 403), ("manager", 200)])
def test_only_managers_of_the_project_open_the_editor(project, role, status):
    response = _client(factories.member(project, role)).get(reverse("pages:schema", args=[project.pk]))
    assert response.status_code == status


def test_staff_open_it_and_managers_of_another_project_do_not(project):
    url = reverse("pages:schema", args=[project.pk])
    assert _client(factories.UserFactory(is_staff=True)).get(url).status_code == 200
    other_manager = factories.member(factories.ProjectFactory(), "manager")
    assert _client(other_manager).get(url).status_code == 403


def test_anonymous_callers_are_sent_to_sign_in(project):
    response = Client().get(reverse("pages:schema", args=[project.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_page_names_the_apis_and_loads_its_script_as_a_file(project):
    response = _client(factories.member(project, "manager")).get(reverse("pages:schema", args=[project.pk]))
    html = response.content.decode()
    assert f'data-project-api="/api/projects/{project.pk}/"' in html
    assert f'data-topics-api="/api/projects/{project.pk}/topics/"' in html
    assert 'src="/static/annotations/schema/main.js"' in html and "<script>" not in html


@pytest.mark.parametrize(("role", "linked"), [("manager", True), ("reviewer", False)])
def test_the_start_page_and_the_dashboard_link_the_editor_for_managers(project, role, linked):
    client = _client(factories.member(project, role))
    url = reverse("pages:schema", args=[project.pk])
    assert (url in client.get(reverse("pages:home")).content.decode()) is linked
    assert (url in client.get(reverse("pages:dashboard", args=[project.pk])).content.decode()) is linked


def test_the_preview_renders_markdown_escaped(project):
    client = _client(factories.member(project, "manager"))
    response = client.post(reverse("pages:schema-guidelines-preview", args=[project.pk]),
                           {"guidelines": "# People\n\nLabel **names**.\n<script>alert(1)</script>"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h3>People</h3>" in html and "<strong>names</strong>" in html
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_the_preview_is_for_managers_and_needs_the_csrf_token(project):
    url = reverse("pages:schema-guidelines-preview", args=[project.pk])
    assert _client(factories.member(project, "annotator")).post(url, {"guidelines": "x"}).status_code == 403
    checked = _client(factories.member(project, "manager"), enforce_csrf_checks=True)
    assert checked.post(url, {"guidelines": "x"}).status_code == 403
    assert checked.get(url).status_code == 405
