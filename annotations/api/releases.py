"""Releases of a project: managers create them (built by a worker), follow them and download the file."""

import posixpath

from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.reverse import reverse

from newsroom.api.schema import error_response
from newsroom.api.throttling import THROTTLED, ActionThrottleMixin

from ..datasets.exports import ExportFilters
from ..datasets.formats import FORMATS
from ..datasets.releases import release_create, release_file_open, release_list
from ..models import Release
from ..permissions import Manager
from .nested import PROJECT_PK, ProjectNestedMixin
from .serializers import ExportQuerySerializer, export_file_responses


class ReleaseInputSerializer(ExportQuerySerializer):
    note = serializers.CharField(required=False, default="", allow_blank=True, max_length=5000,
                                 help_text="What this release is for; shown in the list.")


class ReleaseSerializer(serializers.ModelSerializer):
    created_by = serializers.StringRelatedField(allow_null=True, help_text="Null once the account is deleted.")
    download_url = serializers.SerializerMethodField(help_text="Where to fetch the file, once the release is done.")
    queued = serializers.SerializerMethodField(
        help_text="In the answer to creating a release: whether its build reached the task queue (false: the "
                  "queue is unreachable; the release is saved, pending, and the periodic sweep queues it once "
                  "the queue is back). Null when read later.")

    class Meta:
        model = Release
        fields = ["project", "version", "status", "export_format", "filters", "note", "document_count",
                  "span_count", "size_bytes", "checksum", "summary", "error", "created_by", "created_at",
                  "started_at", "finished_at", "download_url", "queued"]
        read_only_fields = fields

    def get_queued(self, release) -> bool | None:
        return getattr(release, "queued", None)

    def get_download_url(self, release) -> str | None:
        if release.status != Release.Status.DONE:
            return None
        return reverse("project-release-download", kwargs={"project_pk": release.project_id,
                                                           "version": release.version},
                       request=self.context.get("request"))


VERSION = OpenApiParameter("version", OpenApiTypes.INT, OpenApiParameter.PATH, description="The release's version.")


@extend_schema(parameters=[PROJECT_PK])
@extend_schema_view(retrieve=extend_schema(parameters=[VERSION]))
class ReleaseViewSet(ActionThrottleMixin, ProjectNestedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                     viewsets.GenericViewSet):
    """Immutable, versioned exports of a project, built by a worker. Managers only."""

    serializer_class = ReleaseSerializer
    queryset = Release.objects.none()  # for the schema; requests use get_queryset
    permission_classes = [Manager]
    lookup_field = "version"
    lookup_value_regex = r"\d+"
    filterset_fields = ["status", "export_format"]
    throttle_scopes = {"create": "releases"}

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Release.objects.none()
        return release_list(project=self.project)

    @extend_schema(request=ReleaseInputSerializer,
                   responses={202: OpenApiResponse(ReleaseSerializer, "Queued; poll the release until it is done."),
                              400: error_response("Unknown format or bad filters."), 429: THROTTLED})
    def create(self, request, *args, **kwargs):
        """Queue the project's next release with an export format and filters."""
        params = ReleaseInputSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        args = dict(params.validated_data)
        export_format, note = args.pop("export_format"), args.pop("note")
        release = release_create(project=self.project, user=request.user, export_format=export_format,
                                 filters=ExportFilters(**args), note=note)
        return Response(self.get_serializer(release).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(parameters=[VERSION], responses={
        **export_file_responses("The release file; its SHA-256 is in X-Checksum-SHA256."),
        409: error_response("The release is pending, running or failed.")})
    @action(detail=True, methods=["get"])
    def download(self, request, *args, **kwargs):
        """The file of a done release, streamed from storage."""
        release = self.get_object()
        response = FileResponse(release_file_open(release=release), as_attachment=True,
                                filename=posixpath.basename(release.file.name),
                                content_type=FORMATS[release.export_format].media_type)
        response["X-Checksum-SHA256"] = release.checksum
        response["ETag"] = f'"{release.checksum}"'  # the content never changes
        return response
