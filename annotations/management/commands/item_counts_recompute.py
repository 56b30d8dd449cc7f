"""Count every project's items per status afresh and store the counts the pages read."""

from django.core.management.base import BaseCommand

from annotations.counters import item_counts_recompute


class Command(BaseCommand):
    help = "Recount each project's items per status (the dashboard's and project pages' counts). Idempotent."

    def handle(self, *args, **options):
        wrong = item_counts_recompute()
        self.stdout.write(f"Item counts recomputed; {wrong} project(s) had counts out of step.")
