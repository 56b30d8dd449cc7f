"""Build every missing search vector now (after an upgrade, or instead of waiting for the sweep)."""

from django.core.management.base import BaseCommand

from ingest.models import Article
from ingest.search import search_vectors_build


class Command(BaseCommand):
    help = "Build the search vectors of every article that has none (idempotent)."

    def handle(self, *args, **options):
        built = search_vectors_build(articles=Article.objects.all())
        self.stdout.write(f"Built {built} search vectors.")
