"""Pre-annotation of a project: runs with their progress, and enqueueing new ones."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from newsroom.api.schema import error_response
from newsroom.errors import DomainError
from newsroom.api.throttling import THROTTLED, ActionThrottleMixin

from ..models import PreannotationRun
from ..permissions import ActionPermissionsMixin, Manager, Reviewer
from ..preannotation.predictors.base import PredictorError
from ..preannotation.runs import preannotation_enqueue
from .nested import PROJECT_PK, ProjectNestedMixin


class PreannotationRunSerializer(serializers.ModelSerializer):
    progress = serializers.FloatField(read_only=True, help_text="Share of items done or failed, 0 to 1.")
    queued = serializers.SerializerMethodField(
        help_text="In the answer to starting runs: whether every batch reached the task queue (false: the "
                  "queue is unreachable, the run is interrupted and the periodic sweep queues its items once "
                  "the queue is back). Null when read later.")

    class Meta:
        model = PreannotationRun
        fields = ["id", "project", "predictor", "version", "trigger", "status", "queued", "item_count",
                  "done_count", "failed_count", "progress", "error", "created_at", "updated_at", "finished_at"]
        read_only_fields = fields

    def get_queued(self, run) -> bool | None:
        return getattr(run, "queued", None)


class PreannotationInputSerializer(serializers.Serializer):
    predictors = serializers.ListField(child=serializers.CharField(), required=False, default=list,
                                       help_text="Predictor kinds to run; all the project's enabled ones if empty.")
    replace = serializers.BooleanField(default=False, help_text="Predict every item again (same version) instead "
                                                                "of only the items missing a prediction.")


@extend_schema(parameters=[PROJECT_PK])
class PreannotationRunViewSet(ActionThrottleMixin, ActionPermissionsMixin, ProjectNestedMixin, mixins.ListModelMixin,
                              mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Pre-annotation runs of a project, newest first. Reviewers and managers follow them;
    managers start new ones."""

    serializer_class = PreannotationRunSerializer
    queryset = PreannotationRun.objects.none()  # for the schema; requests use get_queryset
    filterset_fields = ["status", "predictor", "version", "trigger"]

    permission_classes = [Reviewer]
    action_permissions = {"create": [Manager]}
    throttle_scopes = {"create": "preannotation"}

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return PreannotationRun.objects.none()
        return self.project.preannotation_runs.all()

    @extend_schema(request=PreannotationInputSerializer,
                   responses={202: OpenApiResponse(PreannotationRunSerializer(many=True),
                                                   "The runs enqueued, one per predictor (not paginated)."),
                              400: error_response("A predictor cannot run (unknown, misconfigured)."),
                              429: THROTTLED})
    def create(self, request, *args, **kwargs):
        """Enqueue the project's predictors over its items missing a prediction (or all, with replace)."""
        params = PreannotationInputSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        try:
            runs = preannotation_enqueue(project=self.project, predictors=params.validated_data["predictors"] or None,
                                         replace=params.validated_data["replace"],
                                         trigger=PreannotationRun.Trigger.MANUAL)
        except PredictorError as exc:
            raise DomainError(str(exc)) from exc
        return Response(self.get_serializer(runs, many=True).data, status=status.HTTP_202_ACCEPTED)
