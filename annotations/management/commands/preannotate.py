"""python manage.py preannotate — enqueue pre-annotation for items missing suggestions (or all)."""

import sys
import time

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from annotations.models import PreannotationRun, Project
from annotations.preannotation.predictors.base import PredictorError
from annotations.preannotation.runs import preannotation_enqueue

POLL_SECONDS = 1.0


class Command(BaseCommand):
    help = ("Run the projects' predictors over their items: by default only the items missing the current "
            "version's suggestions, so it is safe to re-run after a broker outage or a killed worker.")

    def add_arguments(self, parser):
        parser.add_argument("--project", type=int, action="append", default=[], metavar="ID",
                            help="Only this project (repeatable); default every project with predictors.")
        parser.add_argument("--predictor", action="append", default=[], metavar="KIND",
                            help="Only this predictor kind, e.g. spacy-ner (repeatable).")
        scope = parser.add_mutually_exclusive_group()
        scope.add_argument("--missing", action="store_true", help="Only items without suggestions (default).")
        scope.add_argument("--all", action="store_true",
                           help="Every item, replacing the current version's suggestions (after a label-map change).")
        parser.add_argument("--wait", action="store_true",
                            help="Show a progress bar until the workers have finished the runs.")
        parser.add_argument("--timeout", type=float, default=3600.0, help="Give up waiting after this many seconds.")

    def handle(self, *args, **options):
        projects = Project.objects.filter(predictors__enabled=True).distinct().order_by("pk")
        if options["project"]:
            projects = projects.filter(pk__in=options["project"])
            missing = set(options["project"]) - set(projects.values_list("pk", flat=True))
            if missing:
                raise CommandError(f"No project with enabled predictors has id {sorted(missing)}.")
        runs = []
        for project in projects:
            try:
                runs += preannotation_enqueue(project=project, predictors=options["predictor"] or None,
                                              replace=options["all"], trigger=PreannotationRun.Trigger.COMMAND)
            except PredictorError as exc:
                raise CommandError(f"Project {project.pk} ({project}): {exc}") from exc
        if not runs:
            self.stdout.write("Nothing to do: every item has its suggestions.")
            return
        if options["wait"]:
            self._wait(runs, timeout=options["timeout"])
        self._summary(runs)

    def _wait(self, runs: list[PreannotationRun], *, timeout: float) -> None:
        total = sum(run.item_count for run in runs)
        deadline = time.monotonic() + timeout
        with tqdm(total=total, unit="item", file=sys.stderr, disable=not sys.stderr.isatty()) as bar:
            while True:
                current = PreannotationRun.objects.filter(pk__in=[run.pk for run in runs])
                settled = sum(run.done_count + run.failed_count for run in current)
                bar.update(settled - bar.n)
                if all(run.status != PreannotationRun.Status.RUNNING for run in current):
                    return
                if time.monotonic() > deadline:
                    raise CommandError(f"Runs still going after {timeout:.0f} s; follow them in the admin.")
                time.sleep(POLL_SECONDS)

    def _summary(self, runs: list[PreannotationRun]) -> None:
        self.stdout.write(f"{'run':>6}  {'project':<24} {'predictor':<16} {'version':<22} {'items':>6} "
                          f"{'done':>6} {'failed':>6}  status")
        for run in PreannotationRun.objects.filter(pk__in=[r.pk for r in runs]).select_related("project"):
            self.stdout.write(f"{run.pk:>6}  {str(run.project)[:24]:<24} {run.predictor:<16} {run.version[:22]:<22} "
                              f"{run.item_count:>6} {run.done_count:>6} {run.failed_count:>6}  {run.status}")
