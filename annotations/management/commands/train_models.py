"""python manage.py train_models — train a project's models on its gold and report the held-out figures."""

import time

from django.core.management.base import BaseCommand, CommandError

from annotations.models import ModelVersion, Project
from annotations.preannotation.learning.kinds import KINDS
from annotations.preannotation.learning.versions import model_version_create
from newsroom.errors import DomainError

POLL_SECONDS = 1.0


class Command(BaseCommand):
    help = ("Train new versions of a project's models on the train side of its gold, measure them on the "
            "held-out side and promote each one that beats the live version. Without --wait, only queues them "
            "on the training queue.")

    def add_arguments(self, parser):
        parser.add_argument("--project", type=int, required=True, metavar="ID")
        parser.add_argument("--kind", action="append", choices=sorted(KINDS), default=[],
                            help="Only this kind (repeatable); default every kind.")
        parser.add_argument("--wait", action="store_true", help="Wait for the trainings and print their figures.")
        parser.add_argument("--timeout", type=float, default=3600.0, help="Give up waiting after this many seconds.")

    def handle(self, *args, **options):
        project = Project.objects.filter(pk=options["project"]).first()
        if project is None:
            raise CommandError(f"No project has id {options['project']}.")
        versions = []
        for kind in options["kind"] or sorted(KINDS):
            try:
                versions.append(model_version_create(project=project, kind=kind, trigger="command"))
            except DomainError as exc:
                raise CommandError(f"{kind}: {exc}") from exc
        if options["wait"]:
            versions = self._wait(versions, timeout=options["timeout"])
        for version in versions:
            self.stdout.write(_summary(version))
        if any(version.status == ModelVersion.Status.FAILED for version in versions):
            raise CommandError("A training failed (see above).")

    def _wait(self, versions: list[ModelVersion], *, timeout: float) -> list[ModelVersion]:
        deadline = time.monotonic() + timeout
        ids = [version.pk for version in versions]
        while True:
            current = list(ModelVersion.objects.filter(pk__in=ids).order_by("kind"))
            if all(version.status in (ModelVersion.Status.DONE, ModelVersion.Status.FAILED) for version in current):
                return current
            if time.monotonic() > deadline:
                raise CommandError("Gave up waiting; the trainings go on in the workers (is one reading "
                                   "the training queue?).")
            time.sleep(POLL_SECONDS)


def _summary(version: ModelVersion) -> str:
    head = f"{version.kind} v{version.version}: {version.status}"
    if version.status == ModelVersion.Status.FAILED:
        return f"{head}: {version.error}"
    if version.status != ModelVersion.Status.DONE:
        return f"{head} (queued: {getattr(version, 'queued', None)})"
    figures, comparison = version.figures, version.comparison
    lines = [f"{head}, trained on {len(version.trained_on)} gold items in {version.duration_seconds:.1f} s; "
             f"held out: {figures.get('n_items')} items, "
             + ", ".join(f"{key} {figures[key]}" for key in ("accuracy", "macro_f1", "micro_f1", "f1") if key in figures)]
    for label, row in figures.get("per_label", {}).items():
        lines.append(f"  {label:<16} P {row['p']}  R {row['r']}  F1 {row['f1']}  ({row['support']} items)")
    if "baseline" in figures:
        baseline = figures["baseline"]
        shown = ", ".join(f"{key} {baseline[key]}" for key in ("accuracy", "macro_f1", "f1") if key in baseline)
        lines.append(f"  baseline {baseline['predictor']}: {shown}")
    live = comparison.get("live_version")
    against = f"v{live} scored {comparison.get('live_score')} on the same items" if live else "no live version"
    lines.append(f"  {'promoted' if comparison.get('better') else 'not promoted'} ({against})")
    return "\n".join(lines)
