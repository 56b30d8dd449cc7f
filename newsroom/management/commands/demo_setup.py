"""python manage.py demo_setup — demo users and the sample corpus, for `make demo`."""

from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand

# Demo logins: (username, role, superuser?). One password for all: it is a demo.
DEMO_USERS = [
    ("admin", "admin and manager", True),
    ("annotator1", "annotator", False),
    ("annotator2", "annotator", False),
    ("reviewer", "reviewer", False),
]
DEMO_PASSWORD = "newsroom-demo"
SAMPLE_DATA = Path(settings.BASE_DIR) / "sample_data"
SAMPLE_INPUTS = ["txt", "html", "articles.jsonl", "articles.csv", "bundle.zip"]


class Command(BaseCommand):
    help = "Create the demo users and import sample_data/. Safe to re-run."

    def handle(self, *args, **options):
        for username, _, superuser in DEMO_USERS:
            self._user(username, superuser=superuser)
        call_command("import_articles", *(str(SAMPLE_DATA / name) for name in SAMPLE_INPUTS), stdout=self.stdout, stderr=self.stderr)
        self.stdout.write(self.style.SUCCESS("\nDemo logins (password for all: %s)" % DEMO_PASSWORD))
        for username, role, _ in DEMO_USERS:
            self.stdout.write(f"  {username:<12} {role}")

    def _user(self, username: str, *, superuser: bool) -> None:
        user, _ = get_user_model().objects.get_or_create(username=username)
        user.is_staff = user.is_superuser = superuser
        user.set_password(DEMO_PASSWORD)
        user.save()
