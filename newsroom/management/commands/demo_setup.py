"""python manage.py demo_setup — demo users and the sample corpus, for `make demo`."""

from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand

from annotations.models import Project

# Demo logins: (username, role, superuser?). One password for all: it is a demo.
DEMO_USERS = [
    ("admin", "admin and manager", True),
    ("annotator1", "annotator", False),
    ("annotator2", "annotator", False),
    ("reviewer", "reviewer", False),
]
DEMO_PASSWORD = "newsroom-demo"
SAMPLE_DATA = Path(settings.BASE_DIR) / "sample_data"
DEMO_PROJECT = "Eastland news"
DEMO_GUIDELINES = """# Eastland news

Tag **people**, **organisations** and **places** (GPE for towns, regions and countries).
Pick the article's overall sentiment and every topic that applies."""
DEMO_ENTITY_TYPES = [("PERSON", "#4e79a7", "p"), ("ORG", "#f28e2b", "o"), ("GPE", "#59a14f", "g"),
                     ("EVENT", "#b07aa1", "e")]
# Topic -> (description, subtopics). Descriptions also drive topic suggestions until there is gold.
DEMO_TOPICS = {
    "Politics": ("Government, parties, parliament, ministers, councillors, policy, law, votes and debates.", {
        "Elections": "Elections, votes, campaigns, candidates, polls, ballots, turnout and results.",
        "Local government": "Councils, mayors, councillors, city budgets, planning, buses, roads and services."}),
    "Economy": ("Business, markets, prices, inflation, banks, budgets, companies, customers and money.", {
        "Jobs": "Employment, wages, workers, unions, strikes, hiring, layoffs and factories.",
        "Trade": "Exports, imports, tariffs, ports, harbours, shipping, fishing quotas and trade deals."}),
    "Science & technology": ("Research, scientists, universities, studies, software, apps, technology and space.", {}),
    "Health": ("Hospitals, doctors, nurses, disease, patients, vaccines, clinics and public health.", {}),
    "Culture": ("Arts, music, film, books, museums, festivals, theatre, concerts and artists.", {}),
    "Sport": ("Sport, football, marathon, race, athletes, matches, teams, players, coaches, records and "
              "championships.", {}),
    "Climate": ("Weather, frost, storms, floods, drought, emissions, energy, farming and the environment.", {}),
}
# The topics predictor scores TF-IDF similarity to these short descriptions, so it suggests from
# a lower score than its default until the project's own gold trains a classifier.
DEMO_PREDICTORS = {"spacy-ner": {}, "vader-sentiment": {}, "topics": {"min_topic_score": 0.1, "max_topics": 2}}
SAMPLE_INPUTS = ["txt", "html", "articles.jsonl", "articles.csv", "bundle.zip"]


class Command(BaseCommand):
    help = "Create the demo users and import sample_data/. Safe to re-run."

    def handle(self, *args, **options):
        users = {username: self._user(username, superuser=superuser) for username, _, superuser in DEMO_USERS}
        self._project(users)
        # The import pre-annotates its new items (eager Celery in the demo); the command then
        # fills in anything missing, so a re-run completes an earlier interrupted one.
        call_command("import_articles", *(str(SAMPLE_DATA / name) for name in SAMPLE_INPUTS),
                     stdout=self.stdout, stderr=self.stderr)
        call_command("preannotate", stdout=self.stdout, stderr=self.stderr)
        self.stdout.write(self.style.SUCCESS("\nDemo logins (password for all: %s)" % DEMO_PASSWORD))
        for username, role, _ in DEMO_USERS:
            self.stdout.write(f"  {username:<12} {role}")

    def _user(self, username: str, *, superuser: bool):
        user, _ = get_user_model().objects.get_or_create(username=username)
        user.is_staff = user.is_superuser = superuser
        user.set_password(DEMO_PASSWORD)
        user.save()
        return user

    def _project(self, users) -> None:
        """A demo project that takes every imported article (created before the import)."""
        project, _ = Project.objects.get_or_create(name=DEMO_PROJECT, defaults={
            "guidelines": DEMO_GUIDELINES, "overlap": 2, "entity_sentiment": True})
        for name, colour, hotkey in DEMO_ENTITY_TYPES:
            project.entity_types.get_or_create(name=name, defaults={"colour": colour, "hotkey": hotkey})
        for parent, (description, children) in DEMO_TOPICS.items():
            root, _ = project.topics.update_or_create(name=parent, parent=None, defaults={"description": description})
            for child, child_description in children.items():
                project.topics.update_or_create(name=child, parent=root, defaults={"description": child_description})
        for kind, options in DEMO_PREDICTORS.items():
            project.predictors.update_or_create(kind=kind, defaults={"options": options})
        for username, role in (("admin", "manager"), ("annotator1", "annotator"), ("annotator2", "annotator"),
                               ("reviewer", "reviewer")):
            project.memberships.get_or_create(user=users[username], role=role)
