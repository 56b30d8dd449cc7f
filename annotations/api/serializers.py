"""Serializers of the labeling API: separate input and output shapes."""

from django.core.validators import RegexValidator
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema_field
from rest_framework import serializers

from newsroom.api.preconditions import etag_of

from ..datasets.formats import FORMATS
from ..datasets.exports import LABEL_SETS, LABELS_GOLD
from ..datasets.formats.csv import CSV_FORMULAS, FORMULAS_ESCAPE
from ..models import Annotation, EntityType, Item, LabelOrigin, Prediction, Project, Topic
from ..provenance import Pending
from ..selectors import projects_blind_to
from ..validation import SpanInput

# Suggestion keys are short ("span:<start>:<end>:<label>"); a longer one is not a key.
SUGGESTION_KEY_MAX_LENGTH = 120
# More rejections in one submit than an article could have suggestions is a broken client.
MAX_REJECTED_PER_SUBMIT = 5000


@extend_schema_field(OpenApiTypes.STR)
class EtagField(serializers.ReadOnlyField):
    """The object's ETag, to send back as If-Match with a write (``newsroom.api.preconditions``)."""

    def __init__(self, **kwargs):
        super().__init__(source="*", help_text='Send it back as If-Match: "<etag>" to refuse the write (412) if '
                                               "the object changed since it was read.", **kwargs)

    def to_representation(self, instance) -> str:
        return etag_of(instance)


class EntityTypeSerializer(serializers.ModelSerializer):
    colour = serializers.CharField(default="#4e79a7", validators=[
        RegexValidator(r"^#[0-9a-fA-F]{6}$", "A CSS hex colour such as #4e79a7.")])

    etag = EtagField()

    class Meta:
        model = EntityType
        fields = ["id", "name", "colour", "hotkey", "etag"]


class TopicSerializer(serializers.ModelSerializer):
    etag = EtagField()

    class Meta:
        model = Topic
        fields = ["id", "name", "parent", "description", "etag"]

    def validate_parent(self, parent):
        project = self.context["project"]
        if parent is not None and parent.project_id != project.pk:
            raise serializers.ValidationError("The parent topic belongs to another project.")
        return parent


class ProjectSerializer(serializers.ModelSerializer):
    # Stored as JSON; typed here so that nothing but a list of names is ever stored.
    sentiment_scale = serializers.ListField(
        child=serializers.CharField(max_length=50), required=False, max_length=20,
        help_text="Sentiment values, from most negative to most positive; empty: no sentiment asked.")
    intake_keywords = serializers.ListField(child=serializers.CharField(max_length=200), required=False,
                                            max_length=1000, help_text="Keywords of the keywords intake.")
    entity_types = EntityTypeSerializer(many=True, read_only=True)
    topics = TopicSerializer(many=True, read_only=True)
    etag = EtagField()

    class Meta:
        model = Project
        fields = ["id", "name", "description", "guidelines", "sentiment_scale", "entity_sentiment", "overlap",
                  "allow_overlapping_spans", "auto_gold_unanimous", "blind", "lease_minutes", "intake",
                  "intake_keywords", "entity_types", "topics", "created_at", "etag"]

    def validate_sentiment_scale(self, value):
        if len(set(value)) != len(value):
            raise serializers.ValidationError("Each value appears once on the scale.")
        return value


class SpanSerializer(serializers.Serializer):
    start = serializers.IntegerField(min_value=0, help_text="Code-point offset into the body, inclusive.")
    end = serializers.IntegerField(min_value=1, help_text="Code-point offset into the body, exclusive.")
    label = serializers.CharField(max_length=50)
    text = serializers.CharField(trim_whitespace=False, help_text="The covered text, body[start:end].")
    sentiment = serializers.CharField(required=False, default="", allow_blank=True)


class LabelsInputSerializer(serializers.Serializer):
    sentiment = serializers.CharField(required=False, default="", allow_blank=True)
    topics = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    spans = SpanSerializer(many=True, required=False, default=list)

    def spans_input(self) -> list[SpanInput]:
        return [SpanInput(**span) for span in self.validated_data["spans"]]


class AnnotationInputSerializer(LabelsInputSerializer):
    base_version = serializers.IntegerField(required=False, allow_null=True, default=None,
                                            help_text="The version this edit started from; null for a first submit.")
    rejected = serializers.ListField(
        child=serializers.CharField(max_length=SUGGESTION_KEY_MAX_LENGTH), required=False, default=list,
        max_length=MAX_REJECTED_PER_SUBMIT,
        help_text='Keys of the suggestions the annotator rejects ("span:<start>:<end>:<label>", '
                  '"entity-sentiment:<start>:<end>:<label>", "sentiment", "topic:<id>"). They stay rejected in '
                  "later versions unless their label is submitted. Keys not offered are ignored.")
    pending = serializers.ChoiceField(
        choices=[choice.value for choice in Pending], default=Pending.REFUSE.value,
        help_text="What to do with every suggestion that is neither in the labels nor rejected: refuse the submit "
                  '(400 "pending_suggestions" listing them), accept them all as labels, or reject them all.')


class GoldInputSerializer(LabelsInputSerializer):
    annotation = serializers.IntegerField(required=False, allow_null=True, default=None,
                                          help_text="Accept this annotation as gold; otherwise the labels given.")
    note = serializers.CharField(required=False, default="", allow_blank=True, max_length=2000,
                                 help_text="The reviewer's note, kept with this gold version.")


class SkipInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class LeaseSerializer(serializers.Serializer):
    leased_until = serializers.DateTimeField(help_text="The item goes back to the queue at this time unless the "
                                                       "lease is renewed again or the labels are submitted.")


@extend_schema_field(serializers.ChoiceField(choices=LabelOrigin.choices))
class OriginField(serializers.CharField):
    """A LabelOrigin written out (a ChoiceField is rebuilt for every annotation serialized: dearer)."""


class SpanOutputSerializer(SpanSerializer):
    origin = OriginField(help_text="Where the span came from.")
    sentiment_origin = serializers.CharField(help_text="Where the sentiment toward the entity came from (person, "
                                                       "accepted, changed, imported); empty without one.")
    predictor = serializers.CharField(help_text="The predictor whose suggestion was accepted or changed.")
    predictor_version = serializers.CharField()


class LabelSourceSerializer(serializers.Serializer):
    origin = OriginField()
    predictor = serializers.CharField(help_text="For accepted and changed suggestions; empty otherwise.")
    version = serializers.CharField()


class ProvenanceSerializer(serializers.Serializer):
    sentiment = LabelSourceSerializer(required=False, help_text="Absent without a sentiment.")
    topics = serializers.DictField(child=LabelSourceSerializer(), required=False,
                                   help_text="By topic id; absent when no topic came from a suggestion.")


class RejectedSuggestionSerializer(serializers.Serializer):
    key = serializers.CharField()
    predictor = serializers.CharField()
    version = serializers.CharField()


@extend_schema_field(ProvenanceSerializer)
class ProvenanceField(serializers.JSONField):
    """The stored provenance as it is (documented by ProvenanceSerializer, cheaper to write out)."""


@extend_schema_field(RejectedSuggestionSerializer(many=True))
class RejectedSuggestionsField(serializers.JSONField):
    """The stored rejections as they are (documented by RejectedSuggestionSerializer)."""


class AnnotationSerializer(serializers.ModelSerializer):
    annotator = serializers.StringRelatedField()
    spans = SpanOutputSerializer(many=True, read_only=True)
    provenance = ProvenanceField(read_only=True, help_text="Where the document labels came from; a label missing "
                                                           "here was typed by a person.")
    rejected_suggestions = RejectedSuggestionsField(read_only=True)

    class Meta:
        model = Annotation
        fields = ["id", "item", "annotator", "version", "sentiment", "topics", "spans", "provenance",
                  "rejected_suggestions", "lead_time_ms", "created_at"]


class PendingSuggestionSerializer(serializers.Serializer):
    key = serializers.CharField()
    kind = serializers.ChoiceField(choices=["span", "entity_sentiment", "sentiment", "topic"])
    predictor = serializers.CharField()
    version = serializers.CharField()
    start = serializers.IntegerField(required=False, help_text="Spans and entity sentiment.")
    end = serializers.IntegerField(required=False)
    label = serializers.CharField(required=False)
    text = serializers.CharField(required=False)
    value = serializers.CharField(required=False, help_text="The suggested sentiment (document or entity).")
    id = serializers.IntegerField(required=False, help_text="Topics.")
    name = serializers.CharField(required=False)


class PendingOverlapSerializer(PendingSuggestionSerializer):
    overlaps = serializers.ListField(child=serializers.CharField(), help_text="Keys of the spans it would overlap.")


class PendingSuggestionsDetailSerializer(serializers.Serializer):
    pending = PendingSuggestionSerializer(many=True)


class PendingOverlapDetailSerializer(serializers.Serializer):
    overlapping = PendingOverlapSerializer(many=True)


class PendingSuggestionsErrorSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=["pending_suggestions"])
    message = serializers.CharField()
    detail = PendingSuggestionsDetailSerializer()


class PendingOverlapErrorSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=["pending_overlap"])
    message = serializers.CharField()
    detail = PendingOverlapDetailSerializer()


@extend_schema_field({"type": "string", "not": {"enum": ["pending_suggestions", "pending_overlap"]}})
class OtherErrorCodeField(serializers.CharField):
    """Any error code but the two refusals with their own shape (so that one shape fits each answer)."""


class InvalidLabelsErrorSerializer(serializers.Serializer):
    code = OtherErrorCodeField()
    message = serializers.CharField()
    detail = serializers.JSONField(allow_null=True, help_text='Every problem by field, e.g. {"spans[0]": ["..."]}; '
                                                              "for a body that cannot be read, why.")


class PendingSuggestionsEnvelopeSerializer(serializers.Serializer):
    """Suggestions the annotator neither took nor rejected, and the request did not say what to do with."""

    error = PendingSuggestionsErrorSerializer()


class PendingOverlapEnvelopeSerializer(serializers.Serializer):
    """``pending: "accept"`` would add spans overlapping others where the project forbids it."""

    error = PendingOverlapErrorSerializer()


class InvalidLabelsEnvelopeSerializer(serializers.Serializer):
    """Labels not valid for the project's schema or the article body, or a body that cannot be read."""

    error = InvalidLabelsErrorSerializer()


# What an annotator of a blind project never sees of an item: figures made of the others' work.
OTHERS_WORK = ("status", "assigned_count", "submitted_count", "agreement")
HIDDEN_IN_BLIND = " Null for annotators of a blind project (it tells of the other annotators' work)."


class ItemSerializer(serializers.ModelSerializer):
    """An item; for an annotator of a blind project (the request's user) the figures made of
    the others' work are null."""

    title = serializers.CharField(source="article.title")
    body = serializers.CharField(source="article.body")
    source = serializers.StringRelatedField(source="article.source", allow_null=True,
                                            help_text="The outlet; null when the article names none.")
    published_at = serializers.DateTimeField(source="article.published_at", allow_null=True,
                                             help_text="Null when the article has no publication date.")
    status = serializers.ChoiceField(choices=Item.Status.choices, allow_null=True, read_only=True,
                                     help_text="open, annotated (awaiting review) or gold." + HIDDEN_IN_BLIND)
    assigned_count = serializers.IntegerField(allow_null=True, read_only=True,
                                              help_text="Active or submitted assignments." + HIDDEN_IN_BLIND)
    submitted_count = serializers.IntegerField(allow_null=True, read_only=True,
                                               help_text="Annotators who submitted." + HIDDEN_IN_BLIND)
    agreement = serializers.FloatField(allow_null=True, read_only=True,
                                       help_text="Mean pairwise agreement of the annotators' current labels, 0 to 1; "
                                                 "null until two have submitted." + HIDDEN_IN_BLIND)

    class Meta:
        model = Item
        fields = ["id", "project", "article", "status", "title", "body", "source", "published_at",
                  "assigned_count", "submitted_count", "agreement"]

    def to_representation(self, item):
        data = super().to_representation(item)
        if item.project_id in self._blind_projects():
            data.update(dict.fromkeys(OTHERS_WORK))
        return data

    def _blind_projects(self) -> set[int]:
        # Read once per response (a list shares its context) from the requesting user.
        context = self.context
        if "blind_projects" not in context:
            request = context.get("request")
            context["blind_projects"] = projects_blind_to(user=request.user) if request else set()
        return context["blind_projects"]


class ExportQuerySerializer(serializers.Serializer):
    # Not "format": DRF reserves that query parameter for choosing a renderer.
    export_format = serializers.ChoiceField(choices=sorted(FORMATS), default="jsonl")
    gold_only = serializers.BooleanField(
        default=True, help_text="Only items with accepted gold. false (every item) is honoured by jsonl and csv; "
                                "conll and spacy hold only gold, and refuse it with 400.")
    include_annotations = serializers.BooleanField(default=False, help_text="Add every annotator's labels (JSONL).")
    source = serializers.IntegerField(required=False, allow_null=True, default=None)
    topic = serializers.IntegerField(required=False, allow_null=True, default=None)
    published_after = serializers.DateTimeField(required=False, allow_null=True, default=None)
    published_before = serializers.DateTimeField(required=False, allow_null=True, default=None)
    min_agreement = serializers.FloatField(required=False, allow_null=True, default=None, min_value=0, max_value=1,
                                           help_text="Only items whose annotators agree at least this much "
                                                     "(mean pairwise agreement, 0 to 1).")
    labels = serializers.ChoiceField(
        choices=LABEL_SETS, default=LABELS_GOLD,
        help_text="Whose labels: gold (the accepted gold, one record per item), annotations (each annotator's latest "
                  "labels, one record per item and annotator) or both (the gold record, then the annotators'). "
                  "Every record says whose labels it holds (labeled_by). The items are those the other filters "
                  "choose (gold_only=false for items without gold yet; every format takes it with annotations).")
    csv_formulas = serializers.ChoiceField(
        choices=CSV_FORMULAS, default=FORMULAS_ESCAPE,
        help_text="CSV: escape (default) writes a cell that a spreadsheet would run as a formula (starting with "
                  "= + - @, a tab or a carriage return) with a single quote in front; raw writes every cell as it is.")


def export_file_responses(description: str) -> dict:
    """The 200 answer of a download, for the schema: the file, in its format's media type."""
    media_types = sorted({fmt.media_type.split(";")[0] for fmt in FORMATS.values()})
    return {(200, *media_types): OpenApiResponse(OpenApiTypes.BINARY, description)}


class PredictionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Prediction
        fields = ["id", "item", "predictor", "version", "labels", "scores", "created_at"]
