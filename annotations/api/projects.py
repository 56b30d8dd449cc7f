"""Projects: their settings and schema, the next item for an annotator, agreement, predictor
quality and the streamed export."""

from django.http import StreamingHttpResponse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from newsroom.api.preconditions import STALE, IfMatchMixin
from newsroom.api.schema import error_response
from newsroom.api.throttling import THROTTLED, ActionThrottleMixin

from .. import queue
from ..agreement.reports import project_agreement_stored
from ..datasets.exports import ExportFilters, export_records, exporter_for
from ..models import Project
from ..permissions import ActionPermissionsMixin, Annotator, Manager, Member, Reviewer, Staff, member_roles
from ..preannotation.quality import predictor_quality_report
from ..projects import project_update
from ..selectors import project_is_blind_to, project_list

from .nested import IF_MATCH_GUARDED
from .report_serializers import AgreementReportSerializer, PredictorQualitySerializer
from .serializers import ExportQuerySerializer, ItemSerializer, ProjectSerializer, export_file_responses


SCALE_IN_USE = error_response("Labels use a sentiment value the change takes off the scale: detail says which "
                              "and how many.")


@IF_MATCH_GUARDED
class ProjectViewSet(IfMatchMixin, ActionThrottleMixin, ActionPermissionsMixin, viewsets.ModelViewSet):
    """Projects and their schema. Members read; managers change (with If-Match, refused when stale);
    annotators ask for work."""

    serializer_class = ProjectSerializer
    queryset = Project.objects.none()  # for the schema; requests use get_queryset

    def get_queryset(self):
        projects = project_list(user=self.request.user)
        # Only the project representation shows the schema; queue and report actions skip it.
        if self.action in ("list", "retrieve", "create", "update", "partial_update"):
            projects = projects.prefetch_related("entity_types", "topics")
        return projects

    permission_classes = [Member]
    action_permissions = {
        "create": [Staff],
        "update": [Manager], "partial_update": [Manager], "destroy": [Manager], "export": [Manager],
        "agreement": [Reviewer], "predictor_quality": [Reviewer],
        "next": [Annotator],
    }
    throttle_scopes = {"export": "exports"}
    error_responses = {"update": {409: SCALE_IN_USE, 412: STALE}, "partial_update": {409: SCALE_IN_USE, 412: STALE},
                       "destroy": {412: STALE}}

    def perform_update(self, serializer):
        serializer.instance = project_update(project=serializer.instance, **serializer.validated_data)

    @extend_schema(responses={200: AgreementReportSerializer})
    @action(detail=True, methods=["get"])
    def agreement(self, request, pk=None):
        """Krippendorff's alpha, Cohen's kappa and span F1 of the project's current annotations, per
        label and per annotator, and each annotator against accepted gold: the stored report, as of
        ``computed_at``, recomputed by a worker after labels change (``pending`` while a newer one is
        on its way; with none yet, the report is empty, ``computed_at`` null, and one is asked for)."""
        return Response(AgreementReportSerializer(project_agreement_stored(project=self.get_object())).data)

    @extend_schema(responses={200: PredictorQualitySerializer(many=True)})
    # Not paginated: one row per predictor version of the project.
    @action(detail=True, methods=["get"], url_path="predictor-quality", pagination_class=None)
    def predictor_quality(self, request, pk=None):
        """Each predictor version's suggestions against held-out gold it never saw (with the number
        of items behind each figure), and how much of them annotators kept."""
        return Response(PredictorQualitySerializer(predictor_quality_report(project=self.get_object()),
                                                   many=True).data)

    @extend_schema(parameters=[ExportQuerySerializer],
                   responses={**export_file_responses("The export file, streamed: JSONL, CoNLL-2003, spaCy DocBin "
                                                      "or CSV."),
                              400: error_response("Bad options, or every item (gold_only=false) asked of a format that "
                                                  "holds only gold (conll, spacy)."),
                              429: THROTTLED})
    @action(detail=True, methods=["get"])
    def export(self, request, pk=None):
        """Managers: download the project's gold (or all items) in one of the export formats."""
        params = ExportQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        args = dict(params.validated_data)
        export_format, filters = args.pop("export_format"), ExportFilters(**args)
        project = self.get_object()
        exporter = exporter_for(export_format=export_format, filters=filters)
        records = export_records(project=project, filters=filters)
        response = StreamingHttpResponse(exporter.write(records), content_type=exporter.media_type)
        response["Content-Disposition"] = f'attachment; filename="project-{pk}.{exporter.extension}"'
        return response

    @extend_schema(request=None, responses={200: ItemSerializer, 204: OpenApiResponse(description="Nothing left.")})
    @action(detail=True, methods=["post"])
    def next(self, request, pk=None):
        """The caller's current item in this project, or the next one (with a fresh lease)."""
        project = self.get_object()
        assignment = queue.assignment_claim_next(project=project, annotator=request.user)
        if assignment is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        # The roles the permission check read say whether the project is blind to the caller.
        blind = project_is_blind_to(project=project, roles=member_roles(request, project))
        context = {**self.get_serializer_context(), "blind_projects": {project.pk} if blind else set()}
        return Response(ItemSerializer(assignment.item, context=context).data)
