"""Topic classifiers trained on a project's own gold, retrained periodically and versioned.

Once a project has TOPIC_CLASSIFIER_MIN_GOLD accepted gold items, a classifier trained on
them takes over topic suggestions (predictor "topics", version "gold-vN"); the sweep then
fills in the new version's predictions beside the older ones, so both can be compared.
"""

import logging

from django.conf import settings
from django.db.models import Max

from ..models import Gold, Project, TopicClassifier

logger = logging.getLogger(__name__)


def topic_classifier_train(*, project: Project, force: bool = False) -> TopicClassifier | None:
    """Train and store the project's next classifier, if it has enough gold and more of it
    than the newest classifier saw (or ``force``). Returns the new classifier, else None."""
    gold = list(Gold.objects.filter(item__project=project, status=Gold.Status.ACCEPTED)
                .values_list("item__article__body", "topics"))
    if len(gold) < settings.TOPIC_CLASSIFIER_MIN_GOLD:
        return None
    newest = TopicClassifier.objects.filter(project=project).first()
    if newest is not None and newest.gold_count >= len(gold) and not force:
        return None
    from .predictors.topics import train_topic_classifier  # scikit-learn loads only when training

    names = dict(project.topics.values_list("id", "name"))
    texts = [body for body, _ in gold]
    topic_sets = [{names[pk] for pk in topics if pk in names} for _, topics in gold]
    try:
        model = train_topic_classifier(texts, topic_sets)
    except ValueError as exc:  # e.g. every topic has too few examples yet
        logger.info("Project %s: no topic classifier trained: %s", project.pk, exc)
        return None
    metrics = model.metadata
    version = (TopicClassifier.objects.filter(project=project).aggregate(v=Max("version"))["v"] or 0) + 1
    classifier = TopicClassifier.objects.create(
        project=project, version=version, gold_count=len(gold), holdout_count=metrics["held_out"],
        micro_f1=metrics["micro_f1"], subset_accuracy=metrics["subset_accuracy"], metrics=metrics,
        model=model.to_bytes())
    logger.info("Project %s: topic classifier v%s trained on %s gold items (micro-F1 %s on %s held back)",
                project.pk, version, len(gold), metrics["micro_f1"], metrics["held_out"])
    return classifier


def topic_classifiers_train() -> list[TopicClassifier]:
    """Periodic: retrain every project that uses topic suggestions and has new gold."""
    projects = Project.objects.filter(predictors__kind="topics", predictors__enabled=True).distinct()
    return [classifier for project in projects if (classifier := topic_classifier_train(project=project))]
