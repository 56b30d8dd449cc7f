"""Views of the labeling API: projects (schema, next item, agreement, export) and items (annotations, review)."""

from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from newsroom.errors import Conflict

from .. import queue, services
from ..agreement.selectors import project_agreement_report
from ..datasets.formats import FORMATS
from ..datasets.exports import ExportFilters, export_records
from ..models import Assignment, Item, Project
from ..permissions import IsAnnotator, IsManager, IsProjectMember, IsReviewer
from ..preannotation.quality import predictor_quality_report
from ..selectors import annotation_list, item_list, item_review, project_list
from .filters import ItemFilter
from .preannotation import PredictionSerializer
from .serializers import (AnnotationInputSerializer, AnnotationSerializer, ExportQuerySerializer, GoldInputSerializer,
                          ItemSerializer, LeaseSerializer, ProjectSerializer, SkipInputSerializer)


# --- views --------------------------------------------------------------------

class ProjectViewSet(viewsets.ModelViewSet):
    """Projects and their schema. Members read; managers change; annotators ask for work."""

    serializer_class = ProjectSerializer
    queryset = Project.objects.none()  # for the schema; requests use get_queryset

    def get_queryset(self):
        projects = project_list(user=self.request.user)
        # Only the project representation shows the schema; queue and report actions skip it.
        if self.action in ("list", "retrieve", "create", "update", "partial_update"):
            projects = projects.prefetch_related("entity_types", "topics")
        return projects

    def get_permissions(self):
        if self.action == "create":
            return [permissions.IsAdminUser()]
        if self.action in ("update", "partial_update", "destroy"):
            return [permissions.IsAuthenticated(), IsManager()]
        if self.action == "export":
            return [permissions.IsAuthenticated(), IsManager()]
        if self.action in ("agreement", "predictor_quality"):
            return [permissions.IsAuthenticated(), IsReviewer()]
        if self.action == "next":
            return [permissions.IsAuthenticated(), IsAnnotator()]
        return [permissions.IsAuthenticated(), IsProjectMember()]

    @extend_schema(responses={200: OpenApiResponse(description="Agreement per label and per annotator: "
                                                           "sentiment_alpha, topic_alpha, span_f1, pairwise_kappa, "
                                                           "per_annotator, items.")})
    @action(detail=True, methods=["get"])
    def agreement(self, request, pk=None):
        """Krippendorff's alpha, Cohen's kappa and span F1 of the project's current annotations."""
        return Response(project_agreement_report(project=self.get_object()))

    @extend_schema(responses={200: OpenApiResponse(description="Per predictor and version: items, span_precision, "
                                                           "span_recall, span_f1, sentiment_accuracy, "
                                                           "topic_precision, topic_recall, spans_accepted, "
                                                           "spans_rejected, acceptance_rate (null: no data).")})
    @action(detail=True, methods=["get"], url_path="predictor-quality")
    def predictor_quality(self, request, pk=None):
        """Each predictor's suggestions against accepted gold, and how much of them annotators kept."""
        return Response(predictor_quality_report(project=self.get_object()))

    @extend_schema(parameters=[ExportQuerySerializer],
                   responses={(200, "application/octet-stream"): OpenApiResponse(
                       description="The export file, streamed: JSONL, CoNLL-2003, spaCy DocBin or CSV.")})
    @action(detail=True, methods=["get"])
    def export(self, request, pk=None):
        """Managers: download the project's gold (or all items) in one of the export formats."""
        params = ExportQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        args = dict(params.validated_data)
        exporter = FORMATS[args.pop("export_format")]()
        records = export_records(project=self.get_object(), filters=ExportFilters(**args))
        response = StreamingHttpResponse(exporter.write(records), content_type=exporter.media_type)
        response["Content-Disposition"] = f'attachment; filename="project-{pk}.{exporter.extension}"'
        return response

    @extend_schema(request=None, responses={200: ItemSerializer, 204: OpenApiResponse(description="Nothing left.")})
    @action(detail=True, methods=["post"])
    def next(self, request, pk=None):
        """The caller's current item in this project, or the next one (with a fresh lease)."""
        assignment = queue.assignment_claim_next(project=self.get_object(), annotator=request.user)
        if assignment is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(ItemSerializer(assignment.item).data)


class ItemViewSet(mixins.RetrieveModelMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Items: an annotator sees the items assigned to them, reviewers and managers all."""

    serializer_class = ItemSerializer
    queryset = Item.objects.none()  # for the schema; requests use get_queryset
    filterset_class = ItemFilter

    def get_queryset(self):
        return item_list(user=self.request.user)

    def get_permissions(self):
        if self.action in ("gold", "send_back", "review"):
            return [permissions.IsAuthenticated(), IsReviewer()]
        if self.action == "lease":
            return [permissions.IsAuthenticated(), IsAnnotator()]
        return [permissions.IsAuthenticated(), IsProjectMember()]

    @extend_schema(request=AnnotationInputSerializer,
                   responses={200: AnnotationSerializer(many=True), 201: AnnotationSerializer,
                              400: OpenApiResponse(description="Labels not valid for the schema or the body."),
                              409: OpenApiResponse(description="Stale edit, or the item is not assigned to you.")})
    @action(detail=True, methods=["get", "post"])
    def annotations(self, request, pk=None):
        """GET: the annotations the caller may see. POST: submit the caller's labels."""
        item = self.get_object()
        if request.method == "GET":
            return Response(AnnotationSerializer(annotation_list(item=item, user=request.user), many=True).data)
        params = AnnotationInputSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        args = params.validated_data
        annotation = services.annotation_submit(item=item, annotator=request.user, sentiment=args["sentiment"],
                                                topics=args["topics"], spans=params.spans_input(),
                                                base_version=args["base_version"])
        return Response(AnnotationSerializer(annotation).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: PredictionSerializer(many=True)})
    @action(detail=True, methods=["get"])
    def predictions(self, request, pk=None):
        """The machine's suggestions for this item: every predictor and version, newest first."""
        predictions = self.get_object().predictions.order_by("predictor", "-created_at")
        return Response(PredictionSerializer(predictions, many=True).data)

    @extend_schema(request=SkipInputSerializer, responses={204: None})
    @action(detail=True, methods=["post"])
    def skip(self, request, pk=None):
        """Pass on an item assigned to you, with a reason; it goes to someone else."""
        params = SkipInputSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        assignment = get_object_or_404(self.get_object().assignments, annotator=request.user, status="active")
        queue.assignment_skip(assignment=assignment, reason=params.validated_data["reason"])
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses={
        200: LeaseSerializer, 404: OpenApiResponse(description="The item was never assigned to you."),
        409: OpenApiResponse(description="Your assignment is no longer active: expired, skipped or submitted.")})
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

    @extend_schema(responses={200: OpenApiResponse(description="Annotations side by side: annotations, "
                                                           "disagreements (sentiment votes, topics and spans with "
                                                           "their annotators), gold.")})
    @action(detail=True, methods=["get"])
    def review(self, request, pk=None):
        """Reviewers: every annotator's labels side by side, with the disagreements marked."""
        return Response(item_review(item=self.get_object()))

    @extend_schema(request=GoldInputSerializer, responses={201: None, 400: OpenApiResponse(description="Invalid.")})
    @action(detail=True, methods=["post"])
    def gold(self, request, pk=None):
        """Reviewers: accept one annotation as gold, or compose gold from the labels given."""
        item = self.get_object()
        params = GoldInputSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        args = params.validated_data
        annotation = get_object_or_404(item.annotations, pk=args["annotation"]) if args["annotation"] else None
        gold = services.gold_accept(item=item, reviewer=request.user, annotation=annotation,
                                    sentiment=args["sentiment"], topics=args["topics"], spans=params.spans_input())
        return Response({"id": gold.pk, "item": item.pk, "status": gold.status}, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: ItemSerializer})
    @action(detail=True, methods=["post"], url_path="send-back")
    def send_back(self, request, pk=None):
        """Reviewers: return the item to its annotators for another pass."""
        item = services.item_send_back(item=self.get_object(), reviewer=request.user)
        return Response(ItemSerializer(item).data)
