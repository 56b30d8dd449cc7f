"""Models a project trains on its gold: versions with their held-out figures and which is live;
managers start a training, promote a version or roll back."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field,
                                   extend_schema_view)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from newsroom.api.throttling import THROTTLED, ActionThrottleMixin

from ..models import ModelVersion
from ..permissions import ActionPermissionsMixin, Manager, Reviewer
from ..preannotation.learning.kinds import KIND_CHOICES
from ..preannotation.learning.versions import (model_version_create, model_version_list, model_version_promote,
                                               model_version_rollback)
from .nested import NOT_A_MANAGER, PROJECT_PK, ProjectNestedMixin


class ComparisonSerializer(serializers.Serializer):
    live_version = serializers.IntegerField(allow_null=True, help_text="The version live when this one finished.")
    live_score = serializers.FloatField(allow_null=True, help_text="Its score on the same held-out items.")
    score = serializers.FloatField(allow_null=True, help_text="This version's score.")
    items = serializers.IntegerField(help_text="Held-out items both were measured on.")
    baseline_score = serializers.FloatField(required=False, allow_null=True, help_text=(
        "Entities only: the shipped model's score on the same items, which a version must also beat."))
    better = serializers.BooleanField(help_text="Whether this version beat it (and was promoted for it).")


class ModelVersionSerializer(serializers.ModelSerializer):
    figures = serializers.JSONField(help_text='Held-out figures: {"n_items", "accuracy", "macro_f1", "per_label": '
                                              '{label: {"p", "r", "f1", "support"}}, ...}; for '
                                              'sentiment also "baseline" (VADER on the same items). Empty until done.')
    comparison = serializers.SerializerMethodField(help_text="Against the live version; null until done.")
    trained_on_count = serializers.SerializerMethodField(help_text="Gold items (train side) it was fitted on.")
    predictor_version = serializers.CharField(read_only=True, help_text="How its predictions name it.")
    queued = serializers.SerializerMethodField(
        help_text="In the answer to starting a training: whether it reached the training queue (false: the "
                  "queue is unreachable; the version is saved, pending, and the sweep queues it later). "
                  "Null when read later.")

    class Meta:
        model = ModelVersion
        fields = ["id", "project", "kind", "version", "predictor_version", "status", "trigger", "live", "promotion",
                  "promoted_at", "score", "figures", "held_out_count", "trained_on_count", "comparison", "settings",
                  "duration_seconds", "error", "attempts", "created_at", "started_at", "finished_at", "queued"]
        read_only_fields = fields

    @extend_schema_field(ComparisonSerializer(allow_null=True))
    def get_comparison(self, version) -> dict | None:
        return version.comparison or None

    def get_trained_on_count(self, version) -> int:
        return len(version.trained_on)

    def get_queued(self, version) -> bool | None:
        return getattr(version, "queued", None)


class ModelVersionInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=KIND_CHOICES, help_text="The label kind to train.")
    train_limit = serializers.IntegerField(required=False, min_value=1, help_text=(
        "Train on only the first N train-side gold items (by item id), e.g. for a learning curve."))


class ModelKindSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=KIND_CHOICES, help_text="The label kind to roll back.")


VERSION_ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The version's id.")
CONFLICT = OpenApiResponse(description="Not possible in the current state (already training, not done, nothing "
                                       "to roll back to).")


@extend_schema(parameters=[PROJECT_PK])
@extend_schema_view(retrieve=extend_schema(parameters=[VERSION_ID]))
class ModelVersionViewSet(ActionThrottleMixin, ActionPermissionsMixin, ProjectNestedMixin, mixins.ListModelMixin,
                          mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Versions of the models the project trains on its gold, newest first per kind. Reviewers and
    managers read them; managers start trainings, promote and roll back."""

    serializer_class = ModelVersionSerializer
    queryset = ModelVersion.objects.none()  # for the schema; requests use get_queryset
    filterset_fields = ["kind", "status", "live"]
    permission_classes = [Reviewer]
    action_permissions = {"create": [Manager], "promote": [Manager], "rollback": [Manager]}
    throttle_scopes = {"create": "training"}

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ModelVersion.objects.none()
        # Newest first (ids grow with versions): one key the keyset pages can follow.
        return model_version_list(project=self.project).order_by("-pk")

    @extend_schema(request=ModelVersionInputSerializer,
                   responses={202: OpenApiResponse(ModelVersionSerializer, "Queued on the training queue; poll it."),
                              400: OpenApiResponse(description="Unknown kind or bad settings."), 403: NOT_A_MANAGER,
                              409: CONFLICT, 429: THROTTLED})
    def create(self, request, *args, **kwargs):
        """Start training the project's next version of a kind (one at a time per kind)."""
        params = ModelVersionInputSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        options = {key: value for key, value in params.validated_data.items() if key != "kind"}
        version = model_version_create(project=self.project, kind=params.validated_data["kind"], settings=options)
        return Response(self.get_serializer(version).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=None, parameters=[VERSION_ID],
                   responses={200: ModelVersionSerializer, 403: NOT_A_MANAGER, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def promote(self, request, *args, **kwargs):
        """Make this done version its kind's live one, whatever its figures."""
        version = model_version_promote(version=self.get_object())
        return Response(self.get_serializer(version).data)

    @extend_schema(request=ModelKindSerializer, responses={200: ModelVersionSerializer, 400: OpenApiResponse(
        description="Unknown kind."), 403: NOT_A_MANAGER, 409: CONFLICT})
    @action(detail=False, methods=["post"])
    def rollback(self, request, *args, **kwargs):
        """Make live again the version of a kind that was live before the current one."""
        params = ModelKindSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        version = model_version_rollback(project=self.project, kind=params.validated_data["kind"])
        return Response(self.get_serializer(version).data)
