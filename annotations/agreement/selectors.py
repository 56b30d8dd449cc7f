"""Agreement read from the database: a project's report over its annotators' current labels."""

from ..models import Annotation, Gold, LabelOrigin, Project
from ..review import accepted_keys
from .project import project_agreement
from .report import LabelSet


def project_agreement_report(*, project: Project) -> dict:
    """Agreement of the project's current annotations (latest version per annotator and
    item), per label and per annotator, and of each annotator against accepted gold; with
    each annotator's share of labels taken from suggestions unchanged."""
    annotations = (Annotation.objects.filter(item__project=project).current().order_by("item_id", "annotator_id")
                   .prefetch_related("spans"))
    label_sets = [_label_set(a.item_id, a.annotator_id, a) for a in annotations.iterator(chunk_size=2000)]
    gold = [_label_set(g.item_id, "gold", g) for g in
            Gold.objects.filter(item__project=project, status=Gold.Status.ACCEPTED).prefetch_related("spans")]
    report = project_agreement(label_sets, sentiment_scale=project.sentiment_scale,
                               topic_ids=project.topics.values_list("id", flat=True),
                               entity_labels=project.entity_types.values_list("name", flat=True), gold=gold)
    return report.as_dict()


def _label_set(item_id, annotator, labels) -> LabelSet:
    spans = list(labels.spans.all())
    accepted = accepted_keys(sentiment=labels.sentiment, topics=labels.topics, provenance=labels.provenance or {},
                             spans=spans)
    return LabelSet(item=item_id, annotator=annotator, sentiment=labels.sentiment or None,
                    topics=frozenset(labels.topics),
                    spans=frozenset((s.start, s.end, s.label) for s in spans),
                    entity_sentiments=frozenset(((s.start, s.end, s.label), s.sentiment) for s in spans if s.sentiment),
                    accepted_spans=frozenset((s.start, s.end, s.label) for s in spans
                                             if s.origin == LabelOrigin.ACCEPTED),
                    accepted_document_labels=frozenset(key for key in accepted
                                                       if key == "sentiment" or key.startswith("topic:")))
