"""Adding articles already in the corpus to a project: ``POST /api/projects/{id}/articles/``."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.response import Response

from ingest.models import ImportBatch, Source
from ingest.selectors import article_selection

from ..intake import project_articles_add
from ..permissions import ActionPermissionsMixin, Manager
from .nested import NO_SUCH_PROJECT, NOT_A_MANAGER, PROJECT_PK, ProjectNestedMixin

# Ids given in one request; larger selections go by batch, source, query or dates.
MAX_IDS = 10_000


class ArticleSelectionSerializer(serializers.Serializer):
    """Which articles: every criterion given must match (at least one)."""

    articles = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False, allow_empty=False,
                                     max_length=MAX_IDS, help_text="Article ids.")
    import_batch = serializers.PrimaryKeyRelatedField(
        queryset=ImportBatch.objects.all(), required=False,
        help_text="An import batch: the articles it created and the stored ones it duplicated.")
    source = serializers.PrimaryKeyRelatedField(queryset=Source.objects.all(), required=False,
                                                help_text="A source (outlet) id.")
    q = serializers.CharField(required=False, max_length=500, help_text="A search over title and body.")
    published_after = serializers.DateTimeField(required=False, help_text="Published at or after (ISO 8601).")
    published_before = serializers.DateTimeField(required=False, help_text="Published before (ISO 8601).")

    def validate(self, attrs):
        if not attrs:
            raise serializers.ValidationError("Choose articles: articles (ids), import_batch, source, q, "
                                              "published_after or published_before.")
        return attrs


class ArticlesAddedSerializer(serializers.Serializer):
    added = serializers.IntegerField(help_text="Articles that became items of the project now.")
    already_present = serializers.IntegerField(help_text="Chosen articles that were items of the project already.")
    matched = serializers.IntegerField(help_text="Articles chosen (added + already present).")


@extend_schema(parameters=[PROJECT_PK])
class ProjectArticlesViewSet(ActionPermissionsMixin, ProjectNestedMixin, viewsets.ViewSet):
    """Managers add articles of the corpus to the project, whatever its intake rules; adding an
    article twice adds nothing."""

    permission_classes = [Manager]

    @extend_schema(request=ArticleSelectionSerializer, responses={
        200: ArticlesAddedSerializer, 400: OpenApiResponse(description="No criterion, or a bad one."),
        403: NOT_A_MANAGER, 404: NO_SUCH_PROJECT})
    def create(self, request, project_pk=None):
        params = ArticleSelectionSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        args = params.validated_data
        articles = article_selection(ids=args.get("articles"), import_batch=args.get("import_batch"),
                                     source=args.get("source"), query=args.get("q", ""),
                                     published_after=args.get("published_after"),
                                     published_before=args.get("published_before"))
        result = project_articles_add(project=self.project, articles=articles)
        return Response(ArticlesAddedSerializer(result).data, status=status.HTTP_200_OK)
