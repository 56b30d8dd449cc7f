"""Serializers of the labeling API: separate input and output shapes."""

from django.core.validators import RegexValidator
from rest_framework import serializers

from ..datasets.formats import FORMATS
from ..datasets.formats.csv import CSV_FORMULAS, FORMULAS_ESCAPE
from ..models import Annotation, EntityType, Item, Prediction, Project, Topic
from ..validation import SpanInput


class EntityTypeSerializer(serializers.ModelSerializer):
    colour = serializers.CharField(default="#4e79a7", validators=[
        RegexValidator(r"^#[0-9a-fA-F]{6}$", "A CSS hex colour such as #4e79a7.")])

    class Meta:
        model = EntityType
        fields = ["id", "name", "colour", "hotkey"]


class TopicSerializer(serializers.ModelSerializer):
    class Meta:
        model = Topic
        fields = ["id", "name", "parent", "description"]

    def validate_parent(self, parent):
        project = self.context["project"]
        if parent is not None and parent.project_id != project.pk:
            raise serializers.ValidationError("The parent topic belongs to another project.")
        return parent


class ProjectSerializer(serializers.ModelSerializer):
    entity_types = EntityTypeSerializer(many=True, read_only=True)
    topics = TopicSerializer(many=True, read_only=True)

    class Meta:
        model = Project
        fields = ["id", "name", "description", "guidelines", "sentiment_scale", "entity_sentiment", "overlap",
                  "allow_overlapping_spans", "auto_gold_unanimous", "blind", "lease_minutes", "intake",
                  "intake_keywords", "entity_types", "topics", "created_at"]


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


class AnnotationSerializer(serializers.ModelSerializer):
    annotator = serializers.StringRelatedField()
    spans = SpanSerializer(many=True, read_only=True)

    class Meta:
        model = Annotation
        fields = ["id", "item", "annotator", "version", "sentiment", "topics", "spans", "lead_time_ms", "created_at"]


class ItemSerializer(serializers.ModelSerializer):
    title = serializers.CharField(source="article.title")
    body = serializers.CharField(source="article.body")
    source = serializers.StringRelatedField(source="article.source")
    published_at = serializers.DateTimeField(source="article.published_at")

    class Meta:
        model = Item
        fields = ["id", "project", "article", "status", "title", "body", "source", "published_at",
                  "assigned_count", "submitted_count", "agreement"]


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
    csv_formulas = serializers.ChoiceField(
        choices=CSV_FORMULAS, default=FORMULAS_ESCAPE,
        help_text="CSV: escape (default) writes a cell that a spreadsheet would run as a formula (starting with "
                  "= + - @, a tab or a carriage return) with a single quote in front; raw writes every cell as it is.")


class PredictionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Prediction
        fields = ["id", "item", "predictor", "version", "labels", "scores", "created_at"]
