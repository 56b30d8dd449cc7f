"""Reusable filters of labels: each annotator's current annotation, and labels with a topic."""

from django.db import connection, models
from django.db.models import Exists, OuterRef


class LabelsQuerySet(models.QuerySet):
    """Filters shared by annotations and gold, which both keep their topics as a JSON list of ids."""

    def with_topic(self, topic_id: int) -> "LabelsQuerySet":
        """The labels whose topics include ``topic_id``.

        PostgreSQL answers by jsonb containment, in the database. SQLite (the embedded default)
        has no JSON containment: its small data is scanned here, so call this before adding
        filters on an outer query (``OuterRef``).
        """
        if connection.vendor == "postgresql":
            return self.filter(topics__contains=[topic_id])
        return self.filter(pk__in=[pk for pk, topics in self.values_list("pk", "topics") if topic_id in topics])


class AnnotationQuerySet(LabelsQuerySet):
    def current(self, *, item_ids=None) -> "AnnotationQuerySet":
        """Each annotator's newest annotation of each item: older versions are history, the
        newest is what the annotator says now (served by the unique (item, annotator, version) index).
        ``item_ids``: the items the caller reads, so that the newer versions are looked for among
        theirs only (else a planner may hash every annotation of the corpus to find them)."""
        newer = self.model.objects.filter(item=OuterRef("item"), annotator=OuterRef("annotator"),
                                          version__gt=OuterRef("version"))
        if item_ids is not None:
            newer = newer.filter(item_id__in=item_ids)
        return self.exclude(Exists(newer))
