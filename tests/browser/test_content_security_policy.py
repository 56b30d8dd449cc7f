"""Every page passes the Content-Security-Policy, in Chromium: the header is there without
'unsafe-inline', and no page (nor what its scripts build) is refused anything, for each user
who opens it: annotators' labeling pages, reviewers' review pages and dashboard, managers'
import and export pages, the admin's lists and forms, the API documentation and login forms."""

import json

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from annotations.gold import gold_accept
from annotations.models import ModelVersion, Prediction
from annotations.queue import assignment_claim_next
from ingest.models import ImportBatch
from tests import factories
from tests.browser.test_labeling import BODY, READY, drag_over, item_on

pytestmark = pytest.mark.django_db(transaction=True)

# Collects every violation the page reports, from the first script on (Playwright injects this
# through the DevTools protocol, which the policy does not govern).
WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => window.__violations.push(
  `${e.effectiveDirective} refused ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber}`));
"""


@pytest.fixture
def policed(page, live_server):
    """``visit(path, ready=None)``: open the page, let ``ready(page)`` act on it, and record the
    policy header's problems and every violation; ``problems`` maps each page to its own."""
    page.add_init_script(WATCH)
    refused: list[str] = []
    page.on("console", lambda message: refused.append(message.text)
            if "Refused to" in message.text or "Content Security Policy" in message.text else None)
    problems: dict[str, list[str]] = {}

    def visit(path: str, ready=None):
        response = page.goto(live_server.url + path)
        found = [] if response.ok else [f"status {response.status}"]
        found += header_problems(response.headers.get("content-security-policy"))
        if ready:
            ready(page)
        page.wait_for_load_state("networkidle")
        found += page.evaluate("window.__violations") + refused
        refused.clear()
        if found:
            problems[path] = found

    visit.problems = problems
    return visit


def header_problems(policy: str | None) -> list[str]:
    if not policy:
        return ["no Content-Security-Policy header"]
    directives = {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}
    found = [f"{name} allows {value}" for name in ("script-src", "style-src", "default-src")
             for value in directives.get(name, []) if value in ("'unsafe-inline'", "'unsafe-eval'", "*")]
    return found + [f"no {name}" for name in ("script-src", "style-src") if name not in directives]


def sign_in(page, live_server, login, user):
    page.context.clear_cookies()
    login(user)


@pytest.fixture
def desk():
    """A blind project with suggestions, an item two annotators labelled (gold accepted), one
    disputed item awaiting review and a live trained version (the dashboard draws its curve)."""
    project = factories.ProjectFactory(name="Harbour desk", overlap=2, entity_sentiment=True,
                                       guidelines="Label **people**.")
    ana, ben = factories.member(project, username="ana"), factories.member(project, username="ben")
    politics = project.topics.get(name="Politics")
    done, disputed = (item_on(project, BODY) for _ in range(2))
    factories.label(done, ana, sentiment="positive", spans=[("Ana Reyes", "PERSON")])
    gold_accept(item=done, reviewer=None,
                annotation=factories.label(done, ben, sentiment="positive", spans=[("Ana Reyes", "PERSON")]))
    factories.label(disputed, ana, sentiment="positive", topics=[politics.pk], spans=[("Ana Reyes", "PERSON")])
    factories.label(disputed, ben, sentiment="negative", spans=[("Portvale", "GPE")])
    fresh = item_on(project, BODY)
    Prediction.objects.create(item=fresh, predictor="spacy-ner", version="3", labels={
        "spans": [{"start": BODY.index("Portvale"), "end": BODY.index("Portvale") + 8, "label": "GPE",
                   "text": "Portvale", "score": 0.9}],
        "sentiment": {"label": "positive", "score": 0.4},
        "topics": [{"id": politics.pk, "name": "Politics", "score": 0.3}]})
    ModelVersion.objects.create(project=project, kind="ner", version=1, status=ModelVersion.Status.DONE, live=True,
                                trained_on=[done.pk], held_out_count=1, score=0.5,
                                figures={"f1": 0.5, "baseline": {"predictor": "spacy-ner", "f1": 0.4}})
    return {"project": project, "disputed": disputed, "fresh": fresh,
            "annotator": factories.member(project, username="cy"), "reviewer": factories.member(project, "reviewer")}


def test_the_pages_of_annotators_and_reviewers_pass_the_policy(page, live_server, login, policed, desk):
    project = desk["project"]
    sign_in(page, live_server, login, desk["annotator"])
    policed("/")
    policed(f"/projects/{project.pk}/label/")
    item = assignment_claim_next(project=project, annotator=desk["annotator"]).item

    def label_things(page):
        page.wait_for_function(READY)
        drag_over(page, "Ana Reyes")
        page.keyboard.press("p")
        page.keyboard.press("]")
        page.keyboard.press("/")
        page.keyboard.press("Escape")
        page.keyboard.press("?")

    policed(f"/projects/{project.pk}/label/{item.pk}/", ready=label_things)
    policed(f"/projects/{project.pk}/label/signed-in/")

    sign_in(page, live_server, login, desk["reviewer"])
    policed(f"/projects/{project.pk}/review/")
    policed(f"/projects/{project.pk}/review/{desk['disputed'].pk}/",
            ready=lambda page: page.wait_for_selector("#review-annotations, main"))
    policed(reverse("pages:dashboard", args=[project.pk]))

    assert policed.problems == {}, json.dumps(policed.problems, indent=1)


def test_the_managers_pages_and_the_admin_pass_the_policy(page, live_server, login, policed, desk):
    manager = factories.UserFactory(is_staff=True, is_superuser=True)
    ImportBatch.objects.create(created_by=manager, status=ImportBatch.Status.DONE, inputs=[{"name": "wire.txt"}])
    sign_in(page, live_server, login, manager)

    def import_a_file(page):
        page.set_input_files("#import-files", files=[{"name": "council.txt", "mimeType": "text/plain",
                                                      "buffer": b"Council meets\n\nThe council met on Monday."}])
        page.get_by_role("button", name="Import").click()
        page.wait_for_selector("#import-phase:has-text('done')")

    policed(reverse("pages:imports"), ready=import_a_file)
    policed(reverse("pages:exports", args=[desk["project"].pk]))
    policed(reverse("pages:dashboard", args=[desk["project"].pk]))
    policed(reverse("pages:schema", args=[desk["project"].pk]), ready=edit_the_schema)
    for path in admin_pages(manager):
        policed(path)

    assert policed.problems == {}, json.dumps(policed.problems, indent=1)


def edit_the_schema(page):
    """What the schema editor's scripts draw: the tree redrawn, a conflict marked, a preview."""
    page.wait_for_selector(".schema-editor[data-schema-ready=true]")
    page.fill("#topic-new-name", "Harbour")
    page.click("#topic-add")
    page.wait_for_selector("#topics-message.success")
    page.fill("#entity-type-new .et-hotkey", "p")
    page.fill("#guidelines", "# People\n\nLabel **names** and [links](https://example.org).")
    page.click("#guidelines-preview")
    page.wait_for_selector("#guidelines-rendered a")


def test_the_api_documentation_and_login_forms_pass_the_policy(page, live_server, login, policed, desk):
    policed("/accounts/login/")
    policed("/api/auth/login/")
    policed("/admin/login/")
    sign_in(page, live_server, login, factories.UserFactory(is_staff=True))
    policed("/api/docs/", ready=lambda page: page.wait_for_selector(".opblock", timeout=30_000))
    policed("/api/redoc/", ready=lambda page: page.wait_for_selector("h1", timeout=30_000))
    policed("/api/")
    policed(f"/api/projects/{desk['project'].pk}/")

    assert policed.problems == {}, json.dumps(policed.problems, indent=1)


def admin_pages(user) -> list[str]:
    """The admin's index and, for every registered model, its list, its add form (where models
    are added in the admin) and the change form of its first object."""
    request = RequestFactory().get("/admin/")
    request.user = user
    pages = [reverse("admin:index")]
    for model, model_admin in admin.site._registry.items():
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        pages.append(reverse(f"{name}_changelist"))
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            pages.append(reverse(f"{name}_change", args=[first.pk]))
        if model_admin.has_add_permission(request):
            pages.append(reverse(f"{name}_add"))
    return pages


def test_the_policy_names_no_inline_or_outside_sources(client):
    policy = client.get("/accounts/login/")["Content-Security-Policy"]
    directives = {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}

    assert directives["script-src"] == ["'self'"] and directives["style-src"] == ["'self'"]
    assert json.dumps(directives).count("http") == 0, "no outside hosts"
