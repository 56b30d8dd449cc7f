"""The topic taxonomy of a project's schema: every member reads it; managers change it."""

from drf_spectacular.utils import extend_schema

from ..models import Topic
from ..projects import topic_delete, topic_save
from .nested import PROJECT_PK, ProjectSchemaViewSet
from .serializers import TopicSerializer


@extend_schema(parameters=[PROJECT_PK])
class TopicViewSet(ProjectSchemaViewSet):
    """The topic taxonomy (a tree through ``parent``). A topic that labels use cannot be deleted (409)."""

    serializer_class = TopicSerializer
    queryset = Topic.objects.none()
    pagination_class = None

    def get_queryset(self):
        return Topic.objects.none() if getattr(self, "swagger_fake_view", False) else self.project.topics.all()

    def perform_create(self, serializer):
        serializer.instance = topic_save(project=self.project, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = topic_save(project=self.project, topic=serializer.instance, **serializer.validated_data)

    def perform_destroy(self, instance):
        topic_delete(topic=instance)
