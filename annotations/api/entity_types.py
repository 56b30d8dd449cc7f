"""Entity types of a project's schema: every member reads them (the labeling page needs them);
managers change them."""

from drf_spectacular.utils import extend_schema

from ..models import EntityType
from ..projects import entity_type_delete, entity_type_save
from .nested import PROJECT_PK, ProjectSchemaViewSet
from .serializers import EntityTypeSerializer


@extend_schema(parameters=[PROJECT_PK])
class EntityTypeViewSet(ProjectSchemaViewSet):
    """Entity types of a project. A type that labelled spans use keeps its name and cannot be deleted (409)."""

    serializer_class = EntityTypeSerializer
    queryset = EntityType.objects.none()
    pagination_class = None

    def get_queryset(self):
        return EntityType.objects.none() if getattr(self, "swagger_fake_view", False) else \
            self.project.entity_types.all()

    def perform_create(self, serializer):
        serializer.instance = entity_type_save(project=self.project, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = entity_type_save(project=self.project, entity_type=serializer.instance,
                                               **serializer.validated_data)

    def perform_destroy(self, instance):
        entity_type_delete(entity_type=instance)
