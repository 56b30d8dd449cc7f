"""REST API of the corpus: imports, articles, sources."""

import json

import django_filters
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from newsroom.api.filters import UtcIsoDateTimeFilter
from newsroom.api.schema import error_response
from newsroom.api.throttling import THROTTLED, ActionThrottleMixin

from .models import Article, ImportBatch, ImportRecord, Source
from .readers import FORMATS
from .readers.base import FIELDS
from .selectors import article_list, article_search, import_batch_list
from .uploads import import_upload


def register(router, *, imports=None) -> None:
    """Register the corpus resources; ``imports`` replaces the import batches' viewset (the
    labeling app's one also takes the project the articles go to)."""
    router.register("imports", imports or ImportBatchViewSet, basename="import")
    router.register("articles", ArticleViewSet, basename="article")
    router.register("sources", SourceViewSet, basename="source")


class StaffOrPermission(permissions.BasePermission):
    """Staff, or users granted ``perm``: how the corpus-wide endpoints tell managers apart."""

    perm = ""

    @classmethod
    def allows(cls, user) -> bool:
        return bool(user and user.is_authenticated and (user.is_staff or user.has_perm(cls.perm)))

    def has_permission(self, request, view):
        return self.allows(request.user)


class CanImport(StaffOrPermission):
    """Managers import: staff, or users granted ``ingest.add_importbatch``."""

    perm = "ingest.add_importbatch"


# --- serializers --------------------------------------------------------------

class ImportInputSerializer(serializers.Serializer):
    files = serializers.ListField(child=serializers.FileField(), required=False, default=list,
                                  help_text="Text, JSONL, CSV, HTML or zip files (multipart).")
    articles = serializers.ListField(child=serializers.JSONField(), required=False,
                                     help_text="Articles as JSON objects: text (required), title, url, byline, "
                                               "published, source, language.")
    source = serializers.CharField(required=False, default="", allow_blank=True, max_length=200,
                                   help_text="Outlet of items whose record names none.")
    format = serializers.ChoiceField(choices=["auto", *FORMATS], default="auto",
                                     help_text="Force one format for every file.")
    column_map = serializers.DictField(child=serializers.CharField(max_length=200), required=False, default=dict,
                                       help_text="Map fields to CSV columns / JSON keys, e.g. "
                                                 f'{{"text": "content"}}; fields: {", ".join(FIELDS)}.')
    verbatim = serializers.BooleanField(
        required=False, default=False,
        help_text="Keep every record's text exactly as sent (no cleaning, line ends untouched), so offsets into "
                  'it stay valid. One record alone: "verbatim": true in it. JSON, JSONL and CSV records only.')

    def validate_column_map(self, value):
        unknown = sorted(set(value) - set(FIELDS))
        if unknown:
            raise serializers.ValidationError(f"Unknown field(s): {', '.join(map(repr, unknown))}; the fields are "
                                              f"{', '.join(FIELDS)}.")
        return value

    def validate(self, attrs):
        if not attrs["files"] and not attrs.get("articles"):
            raise serializers.ValidationError("Send files (multipart) or a non-empty list of articles (JSON).")
        return attrs


class ImportRecordSerializer(serializers.ModelSerializer):
    class Meta:
        model = ImportRecord
        fields = ["origin", "outcome", "message", "article"]


class ImportRecordQuerySerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=ImportRecord.Outcome.choices, required=False,
                                      help_text="Only the records of this outcome.")


class ImportBatchSerializer(serializers.ModelSerializer):
    created_by = serializers.StringRelatedField(allow_null=True, help_text="Null once the account is deleted.")
    project = serializers.IntegerField(source="project_id", allow_null=True, read_only=True,
                                       help_text="The labeling project the batch's articles go to, if one was named.")
    inputs = serializers.SerializerMethodField(help_text="Names of the imported files.")
    errors = serializers.SerializerMethodField(help_text="The first failures, one per failed item.")
    queued = serializers.SerializerMethodField(
        help_text="Whether a worker has been asked to run the batch. False while it is pending because the task "
                  "queue could not be reached: the batch is saved, and the periodic sweep queues it once the "
                  "queue is back.")

    search_pending = serializers.SerializerMethodField(
        help_text="Articles the batch created that text search does not find yet: their search vectors are built "
                  "by a job after the import (seconds per ten thousand articles; a sweep builds any a lost "
                  "message left behind).")

    class Meta:
        model = ImportBatch
        fields = ["id", "status", "queued", "format", "source_name", "project", "verbatim", "inputs", "created_by",
                  "created_at", "started_at", "finished_at", "total", "processed_count", "created_count",
                  "duplicate_count", "near_duplicate_count", "failed_count", "search_pending", "attempts", "error",
                  "errors"]

    def get_search_pending(self, batch) -> int:
        return batch.search_pending

    def get_queued(self, batch) -> bool:
        return batch.status != ImportBatch.Status.PENDING or batch.enqueued_at is not None

    def get_inputs(self, batch) -> list[str]:
        return [entry.get("name", "") for entry in batch.inputs]

    @extend_schema_field(ImportRecordSerializer(many=True))
    def get_errors(self, batch):
        failures = batch.records.filter(outcome=ImportRecord.Outcome.FAILED)[:ERRORS_SHOWN]
        return ImportRecordSerializer(failures, many=True).data


# Failures embedded in a batch; all of them are at /api/imports/{id}/records/.
ERRORS_SHOWN = 100


class SourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = ["id", "name", "domain"]


class ArticleListSerializer(serializers.ModelSerializer):
    source = serializers.StringRelatedField(allow_null=True, help_text="The outlet; null when the article names none.")

    class Meta:
        model = Article
        fields = ["id", "title", "source", "url", "byline", "published_at", "dateline", "language",
                  "story_cluster", "import_batch", "created_at"]


class ArticleDetailSerializer(ArticleListSerializer):
    same_story = serializers.SerializerMethodField(help_text="Other articles of the same story cluster.")

    class Meta(ArticleListSerializer.Meta):
        fields = [*ArticleListSerializer.Meta.fields, "body", "raw_text", "removed_lines", "origin", "format",
                  "content_hash", "same_story"]

    def get_same_story(self, article) -> list[int]:
        if not article.story_cluster_id:
            return []
        return list(Article.objects.filter(story_cluster_id=article.story_cluster_id)
                    .exclude(pk=article.pk).values_list("pk", flat=True)[:100])


# --- filters ------------------------------------------------------------------

class ArticleFilter(django_filters.FilterSet):
    published_after = UtcIsoDateTimeFilter(field_name="published_at", lookup_expr="gte")
    published_before = UtcIsoDateTimeFilter(field_name="published_at", lookup_expr="lt")
    q = django_filters.CharFilter(
        method="search", label="Text search over title and body (English stemming; \"a phrase\", or, -word). "
                               "Matches come newest first, not ranked by relevance.")

    class Meta:
        model = Article
        fields = ["source", "import_batch", "story_cluster", "language"]

    def search(self, queryset, name, value):
        return article_search(queryset, value) if value.strip() else queryset


# --- views --------------------------------------------------------------------

class ImportBatchViewSet(ActionThrottleMixin, mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                         viewsets.GenericViewSet):
    """Import batches: upload files or a JSON list of articles; follow progress; read per-item errors."""

    permission_classes = [CanImport]
    serializer_class = ImportBatchSerializer
    input_serializer_class = ImportInputSerializer
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    filterset_fields = ["status"]
    throttle_scopes = {"create": "imports"}

    def get_queryset(self):
        return import_batch_list()

    @extend_schema(
        request=ImportInputSerializer,
        responses={201: ImportBatchSerializer,
                   202: OpenApiResponse(ImportBatchSerializer, "Saved and pending: queued for a worker, or, with "
                                        "queued false, waiting for the task queue to come back (the sweep "
                                        "queues it)."),
                   400: error_response("Nothing to import, or bad options."), 429: THROTTLED},
    )
    def create(self, request, *args, **kwargs):
        params = self.input_serializer_class(data=_input_data(request.data), context=self.get_serializer_context())
        params.is_valid(raise_exception=True)
        args = params.validated_data
        batch = import_upload(user=request.user, files=args["files"], records=args.get("articles"),
                              fmt=args["format"], source_name=args["source"], column_map=args["column_map"],
                              project_id=getattr(args.get("project"), "pk", None), verbatim=args["verbatim"])
        code = status.HTTP_201_CREATED if batch.status == ImportBatch.Status.DONE else status.HTTP_202_ACCEPTED
        return Response(ImportBatchSerializer(batch).data, status=code)

    @extend_schema(responses=ImportRecordSerializer(many=True), parameters=[ImportRecordQuerySerializer])
    @action(detail=True, methods=["get"], filter_backends=[])
    def records(self, request, pk=None):
        """Every item of the batch that did not become a new article (duplicates and failures)."""
        params = ImportRecordQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        records = self.get_object().records.all()
        if outcome := params.validated_data.get("outcome"):
            records = records.filter(outcome=outcome)
        page = self.paginate_queryset(records)
        return self.get_paginated_response(ImportRecordSerializer(page, many=True).data)


def _input_data(data) -> dict:
    """Multipart sends ``files`` as repeated parts and ``column_map`` as JSON text; a bare JSON
    list is a list of articles."""
    if isinstance(data, list):
        return {"articles": data}
    if not hasattr(data, "getlist"):
        return data
    plain = {key: data.get(key) for key in data if key != "files"}
    plain["files"] = data.getlist("files")
    if isinstance(plain.get("column_map"), str):
        try:
            plain["column_map"] = json.loads(plain["column_map"] or "{}")
        except ValueError:
            raise serializers.ValidationError({"column_map": ["Must be a JSON object, e.g. {\"text\": \"content\"}."]})
    return plain


class CanReadCorpus(StaffOrPermission):
    """The whole corpus is for managers: staff, or users granted ``ingest.view_article``.
    Annotators read articles through the items assigned to them."""

    perm = "ingest.view_article"


class ArticleViewSet(viewsets.ReadOnlyModelViewSet):
    """Stored articles, newest first; filter by source, batch, story cluster, language, date."""

    permission_classes = [CanReadCorpus]

    filterset_class = ArticleFilter
    ordering_fields = ["id", "published_at", "created_at"]

    def get_queryset(self):
        return article_list()

    def get_serializer_class(self):
        return ArticleDetailSerializer if self.action == "retrieve" else ArticleListSerializer


class SourceViewSet(viewsets.ReadOnlyModelViewSet):
    """Outlets."""

    permission_classes = [CanReadCorpus]

    serializer_class = SourceSerializer
    queryset = Source.objects.all()
    filterset_fields = ["domain"]

