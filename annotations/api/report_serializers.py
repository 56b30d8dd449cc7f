"""Shapes of a project's reports: annotators' agreement and the predictors' quality.

The reports are computed as plain data (``agreement.selectors``, stored by ``agreement.reports``;
``preannotation.quality``);
these serializers write them out and document them. A figure is null where it is undefined
(no data, or nothing to compare)."""

from rest_framework import serializers


def _figure(help_text: str = "", **kwargs) -> serializers.FloatField:
    return serializers.FloatField(allow_null=True, help_text=help_text, **kwargs)


class SpanF1Serializer(serializers.Serializer):
    exact = _figure("F1 of spans matched exactly (same start, end and label).")
    overlap = _figure("F1 of spans of the same label that overlap.")


class PairwiseKappaSerializer(serializers.Serializer):
    a = serializers.IntegerField(help_text="An annotator's user id.")
    b = serializers.IntegerField(help_text="The other annotator's user id.")
    items = serializers.IntegerField(help_text="Items both gave a sentiment on the scale.")
    kappa = _figure("Cohen's kappa of their sentiments.")


class AcceptedSuggestionsSerializer(serializers.Serializer):
    spans = _figure("Share of the annotator's spans that are a suggestion accepted unchanged.")
    document_labels = _figure("Share of the annotator's sentiment and topics that are a suggestion accepted "
                              "unchanged.")


class AgainstGoldSerializer(serializers.Serializer):
    items = serializers.IntegerField(help_text="Items of the annotator that have accepted gold.")
    sentiment_accuracy = _figure()
    entity_sentiment_accuracy = _figure()
    span_f1_exact = _figure()
    span_f1_overlap = _figure()
    topic_f1 = _figure()


class AnnotatorAgreementSerializer(serializers.Serializer):
    items = serializers.IntegerField(help_text="Items the annotator labelled.")
    sentiment_kappa_mean = _figure("Mean of the annotator's pairwise kappas.")
    span_f1_exact = _figure()
    span_f1_overlap = _figure()
    accepted_suggestions = AcceptedSuggestionsSerializer()
    gold = AgainstGoldSerializer(allow_null=True, help_text="Against accepted gold; null without any.")


class AgreementReportSerializer(serializers.Serializer):
    sentiment_alpha = _figure("Krippendorff's alpha of sentiment, ordinal on the project's scale.")
    entity_sentiment_alpha = _figure("Krippendorff's alpha of the sentiment toward each entity, over the spans "
                                     "at least two annotators of an item marked exactly alike.")
    topic_alpha = serializers.DictField(child=_figure(), help_text="By topic id: nominal alpha of the topic being "
                                                                   "there or not.")
    span_f1 = serializers.DictField(child=SpanF1Serializer(), help_text='By entity label, and "ALL" for every '
                                                                        "label: mean over annotator pairs.")
    pairwise_kappa = PairwiseKappaSerializer(many=True, help_text="Pairs of annotators with two items or more.")
    per_annotator = serializers.DictField(child=AnnotatorAgreementSerializer(), help_text="By user id.")
    items = serializers.IntegerField(help_text="Items labelled by at least two annotators.")
    computed_at = serializers.DateTimeField(
        allow_null=True, help_text="When the stored report began reading the labels it covers; null while the "
                                   "project's first report is being computed (the figures are then empty).")
    pending = serializers.BooleanField(help_text="Labels changed since computed_at, or a refresh is running: a "
                                                 "newer report is on its way (within AGREEMENT_REFRESH_DELAY "
                                                 "seconds and the time it takes).")
    stale_since = serializers.DateTimeField(allow_null=True, help_text="The first label change the report does "
                                                                       "not cover; null when it covers them all.")
    annotations = serializers.IntegerField(help_text="Current annotations (one per annotator and item) the "
                                                     "report covers.")


class PredictorQualitySerializer(serializers.Serializer):
    """One predictor version: against held-out gold it never saw, and what annotators kept."""

    predictor = serializers.CharField()
    version = serializers.CharField()
    items = serializers.IntegerField(help_text="Held-out gold items the version was scored on.")
    span_precision = _figure()
    span_recall = _figure()
    span_f1 = _figure()
    span_items = serializers.IntegerField()
    sentiment_accuracy = _figure()
    sentiment_items = serializers.IntegerField()
    topic_precision = _figure()
    topic_recall = _figure()
    topic_items = serializers.IntegerField()
    annotations = serializers.IntegerField(help_text="Annotations made with its suggestions offered.")
    spans_accepted = serializers.IntegerField()
    spans_changed = serializers.IntegerField()
    spans_rejected = serializers.IntegerField()
    topics_accepted = serializers.IntegerField()
    topics_rejected = serializers.IntegerField()
    entity_sentiments_accepted = serializers.IntegerField()
    entity_sentiments_changed = serializers.IntegerField()
    entity_sentiments_rejected = serializers.IntegerField()
    sentiment_accepted = serializers.IntegerField()
    sentiment_changed = serializers.IntegerField()
    sentiment_rejected = serializers.IntegerField()
    acceptance_rate = _figure("Share of its decided suggestions taken as they were.")
