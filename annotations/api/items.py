"""Items: the articles of a project as the caller may see them, with their annotations,
suggestions, skipping, leases and review into gold."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, PolymorphicProxySerializer, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from newsroom.api.schema import error_response
from newsroom.errors import Conflict

from .. import queue, services
from ..gold import gold_accept, gold_reopen, item_send_back
from ..models import Assignment, Item
from ..permissions import ActionPermissionsMixin, Annotator, Member, Reviewer
from ..selectors import annotation_list, gold_version, item_list, item_review
from .filters import ItemFilter
from .review_serializers import (GoldAcceptedSerializer, GoldReopenedSerializer, GoldReopenInputSerializer,
                                 ItemReviewSerializer, SendBackInputSerializer)
from .serializers import (AnnotationInputSerializer, AnnotationSerializer, GoldInputSerializer,
                          InvalidLabelsEnvelopeSerializer, ItemSerializer, LeaseSerializer,
                          PendingOverlapEnvelopeSerializer, PendingSuggestionsEnvelopeSerializer, PredictionSerializer,
                          SkipInputSerializer)

SUBMIT_REFUSED = OpenApiResponse(
    response=PolymorphicProxySerializer(
        component_name="SubmitRefused", resource_type_field_name=None,
        serializers=[PendingSuggestionsEnvelopeSerializer, PendingOverlapEnvelopeSerializer,
                     InvalidLabelsEnvelopeSerializer]),
    description='Suggestions still pending (code "pending_suggestions": detail.pending lists each one with its key, '
                'kind, predictor, version and value); pending span suggestions that cannot be accepted because they '
                'overlap (code "pending_overlap"); or labels not valid for the schema or the body (every problem by '
                "field), or a body that cannot be read.")


class ItemViewSet(ActionPermissionsMixin, mixins.RetrieveModelMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Items: an annotator sees the items assigned to them, reviewers and managers all."""

    serializer_class = ItemSerializer
    queryset = Item.objects.none()  # for the schema; requests use get_queryset
    filterset_class = ItemFilter
    ordering_fields = []  # ItemFilter orders (by what the caller may see), not DRF's serializer-field ordering

    def get_queryset(self):
        return item_list(user=self.request.user)

    permission_classes = [Member]
    action_permissions = {"gold": [Reviewer], "gold_reopen": [Reviewer], "send_back": [Reviewer], "review": [Reviewer],
                          "lease": [Annotator]}

    @extend_schema(methods=["GET"], responses={200: AnnotationSerializer(many=True)})
    @extend_schema(methods=["POST"], request=AnnotationInputSerializer, responses={
        201: AnnotationSerializer, 400: SUBMIT_REFUSED,
        409: error_response("Stale edit, or the item is not assigned to you.")})
    # Not paginated: an item has a handful of annotators' versions; not filtered: one item.
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def annotations(self, request, pk=None):
        """GET: the annotations the caller may see. POST: submit the caller's labels, saying what
        to do with the suggestions still pending (refused by default)."""
        item = self.get_object()
        if request.method == "GET":
            return Response(AnnotationSerializer(annotation_list(item=item, user=request.user), many=True).data)
        params = AnnotationInputSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        args = params.validated_data
        annotation = services.annotation_submit(item=item, annotator=request.user, sentiment=args["sentiment"],
                                                topics=args["topics"], spans=params.spans_input(),
                                                base_version=args["base_version"], rejected=args["rejected"],
                                                pending=args["pending"])
        return Response(AnnotationSerializer(annotation).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: PredictionSerializer(many=True)})
    # Not paginated: one prediction per predictor version of the project.
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def predictions(self, request, pk=None):
        """The machine's suggestions for this item: every predictor and version, newest first."""
        predictions = self.get_object().predictions.order_by("predictor", "-created_at")
        return Response(PredictionSerializer(predictions, many=True).data)

    @extend_schema(request=SkipInputSerializer, responses={
        204: None, 404: error_response("No such item among yours, or it is not assigned to you now.")})
    @action(detail=True, methods=["post"])
    def skip(self, request, pk=None):
        """Pass on an item assigned to you, with a reason; it goes to someone else."""
        params = SkipInputSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        assignment = get_object_or_404(self.get_object().assignments, annotator=request.user, status="active")
        queue.assignment_skip(assignment=assignment, reason=params.validated_data["reason"])
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses={
        200: LeaseSerializer, 404: error_response("No such item among yours, or it was never assigned to you."),
        409: error_response("Your assignment is no longer active: expired, skipped or submitted.")})
    @action(detail=True, methods=["post"])
    def lease(self, request, pk=None):
        """Annotators: keep the item assigned to you while you work on it (the labeling page
        calls this now and then); the lease runs the project's lease_minutes from now."""
        assignment = get_object_or_404(self.get_object().assignments, annotator=request.user)
        assignment = queue.assignment_lease_renew(assignment=assignment)
        if assignment.status != Assignment.Status.ACTIVE:
            raise Conflict("This item is no longer assigned to you (the lease may have expired); ask for the next "
                           "item.", detail={"status": assignment.status})
        return Response(LeaseSerializer(assignment).data)

    @extend_schema(responses={200: ItemReviewSerializer})
    @action(detail=True, methods=["get"])
    def review(self, request, pk=None):
        """Reviewers: every annotator's labels side by side, with the disagreements marked."""
        return Response(ItemReviewSerializer(item_review(item=self.get_object())).data)

    @extend_schema(request=GoldInputSerializer, responses={
        201: GoldAcceptedSerializer,
        400: error_response("Labels not valid for the project's schema or the article (every problem by field), "
                            "or an annotation of another item."),
        404: error_response("No such item among yours, or no such annotation of it.")})
    @action(detail=True, methods=["post"])
    def gold(self, request, pk=None):
        """Reviewers: accept one annotation as gold, or compose gold from the labels given, as the
        item's next gold version (the accepted one before it is superseded)."""
        item = self.get_object()
        params = GoldInputSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        args = params.validated_data
        annotation = get_object_or_404(item.annotations, pk=args["annotation"]) if args["annotation"] else None
        accepted = gold_accept(item=item, reviewer=request.user, annotation=annotation, sentiment=args["sentiment"],
                               topics=args["topics"], spans=params.spans_input(), note=args["note"])
        return Response(GoldAcceptedSerializer({"id": accepted.pk, "item": item.pk, "status": accepted.status,
                                                "version": accepted.version}).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=GoldReopenInputSerializer, responses={
        200: GoldReopenedSerializer, 400: error_response("No reason given."),
        409: error_response("The item has no accepted gold.")})
    @action(detail=True, methods=["post"], url_path="gold/reopen", url_name="gold-reopen")
    def gold_reopen(self, request, pk=None):
        """Reviewers: reopen the item's accepted gold, with a reason: the version is marked
        reopened (who, when, why), the item awaits review again and is left out of exports
        until gold is accepted again (as the next version)."""
        item = self.get_object()
        params = GoldReopenInputSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        reopened = gold_reopen(item=item, reviewer=request.user, reason=params.validated_data["reason"])
        return Response(GoldReopenedSerializer({"item": item.pk, "status": item.status,
                                                "gold": gold_version(reopened)}).data)

    @extend_schema(request=SendBackInputSerializer, responses={
        200: ItemSerializer, 400: error_response("No note given.")})
    @action(detail=True, methods=["post"], url_path="send-back")
    def send_back(self, request, pk=None):
        """Reviewers: return the item to its annotators for another pass, with a note they see on
        the labeling page; accepted gold is reopened."""
        item = self.get_object()
        params = SendBackInputSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        item = item_send_back(item=item, reviewer=request.user, note=params.validated_data["note"])
        return Response(ItemSerializer(item, context=self.get_serializer_context()).data)
