"""A project's schema and people: entity types, the topic taxonomy and members.

Every member reads them (the labeling page needs the schema); managers change them.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.response import Response

from ..models import EntityType, Membership, Topic
from ..permissions import IsManager, IsProjectMember, IsReviewer
from ..projects import (entity_type_delete, entity_type_save, member_remove, member_set, topic_delete,
                              topic_save)
from .nested import ProjectNestedMixin
from .serializers import EntityTypeSerializer, TopicSerializer

PROJECT_PK = OpenApiParameter("project_pk", OpenApiTypes.INT, OpenApiParameter.PATH, description="The project's id.")


class MembershipSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username")

    class Meta:
        model = Membership
        fields = ["id", "username", "role"]


class ProjectScopedViewSet(ProjectNestedMixin, viewsets.ModelViewSet):
    """Objects of the project in the URL: members read, managers write."""

    read_role = IsProjectMember

    def get_permissions(self):
        role = self.read_role if self.action in ("list", "retrieve") else IsManager
        return [permissions.IsAuthenticated(), role()]


@extend_schema(parameters=[PROJECT_PK])
class EntityTypeViewSet(ProjectScopedViewSet):
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


@extend_schema(parameters=[PROJECT_PK])
class TopicViewSet(ProjectScopedViewSet):
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


@extend_schema(parameters=[PROJECT_PK])
class MembershipViewSet(ProjectScopedViewSet):
    """Members and their roles. Managers add (by username), change roles and remove; removing
    a member returns the items they were working on to the pool."""

    serializer_class = MembershipSerializer
    queryset = Membership.objects.none()
    read_role = IsReviewer  # who annotates what is not every annotator's business

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Membership.objects.none()
        return self.project.memberships.select_related("user").order_by("user__username")

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        membership = member_set(project=self.project, username=serializer.validated_data["user"]["username"],
                                role=serializer.validated_data["role"])
        return Response(self.get_serializer(membership).data, status=status.HTTP_201_CREATED)

    def perform_update(self, serializer):
        serializer.instance = member_set(project=self.project, username=serializer.instance.user.username,
                                         role=serializer.validated_data.get("role", serializer.instance.role))

    def perform_destroy(self, instance):
        member_remove(membership=instance)
