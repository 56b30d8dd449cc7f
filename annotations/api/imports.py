"""Imports into a chosen project: ``POST /api/imports/`` with ``project``, the corpus' import
endpoint extended by labeling (ingest knows nothing of projects; the URL wiring picks this one)."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, serializers

from ingest import api as ingest_api
from newsroom.api.throttling import THROTTLED

from ..models import Project
from ..users import projects_managed


class ProjectImportInputSerializer(ingest_api.ImportInputSerializer):
    project = serializers.PrimaryKeyRelatedField(
        queryset=Project.objects.all(), required=False, allow_null=True, default=None,
        help_text="A project you manage: every article of the batch becomes its item, new articles and stored "
                  "ones the batch duplicates alike. The batch is done once they are items.")

    def validate_project(self, project):
        if project is not None and not projects_managed(user=self.context["request"].user).filter(
                pk=project.pk).exists():
            raise serializers.ValidationError("Name a project you manage.")
        return project

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if attrs.get("project") is None and not _imports_anywhere(self.context["request"].user):
            raise serializers.ValidationError({"project": ["Name the project you manage that the articles go to."]})
        return attrs


_imports_anywhere = ingest_api.CanImport.allows


class ImportsOrManages(permissions.BasePermission):
    """Importers (staff, or ``ingest.add_importbatch``) import anywhere and see every batch; a
    project's managers import into the projects they manage (``project`` then required) and
    see the batches they made."""

    def has_permission(self, request, view):
        user = request.user
        return _imports_anywhere(user) or bool(user and user.is_authenticated and projects_managed(user=user).exists())


class ImportBatchViewSet(ingest_api.ImportBatchViewSet):
    __doc__ = ingest_api.ImportBatchViewSet.__doc__
    input_serializer_class = ProjectImportInputSerializer
    permission_classes = [ImportsOrManages]

    def get_queryset(self):
        batches = super().get_queryset()
        if getattr(self, "swagger_fake_view", False):
            return batches
        user = self.request.user
        return batches if _imports_anywhere(user) else batches.filter(created_by=user)

    @extend_schema(
        request=ProjectImportInputSerializer,
        responses={201: OpenApiResponse(ingest_api.ImportBatchSerializer, "Imported in the request (done: its "
                                                                          "articles are items of their projects)."),
                   202: OpenApiResponse(ingest_api.ImportBatchSerializer, "Saved and pending: queued for a worker "
                                                                          "(poll the batch until done), or, with "
                                                                          "queued false, waiting for the task queue "
                                                                          "to come back (the sweep queues it)."),
                   400: OpenApiResponse(description="Nothing to import, bad options, or a project you do not "
                                                    "manage."),
                   403: OpenApiResponse(description="Not allowed to import."), 429: THROTTLED},
    )
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)
