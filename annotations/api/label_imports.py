"""Label imports: a project's managers upload labels made in another tool; they become its gold."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from newsroom.api.schema import error_response
from newsroom.api.throttling import THROTTLED, ActionThrottleMixin

from ..datasets.importers import IMPORT_FORMATS
from ..datasets.label_imports import labels_import
from ..permissions import Manager
from .nested import NO_SUCH_PROJECT, NOT_A_MANAGER, PROJECT_PK, ProjectNestedMixin

# The file is imported inside the request; a bigger one would hold a web worker for minutes.
MAX_UPLOAD_BYTES = 20 * 1024 * 1024


class LabelImportInputSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="The exported file: our JSONL, a Label Studio JSON export, doccano "
                                           "JSONL or CoNLL-2003. Texts are stored exactly as they are in it (a "
                                           "CoNLL document as its tokens joined by spaces, its sentences by line "
                                           "breaks) with the file's tokens, if any; a text without labels becomes "
                                           "an item without gold.")
    format = serializers.ChoiceField(choices=IMPORT_FORMATS, help_text="The tool that wrote the file.")
    choice_fields = serializers.JSONField(
        required=False, default=None,
        help_text='Label Studio: the from_name of the choices holding sentiment and topics, as JSON, e.g. '
                  '{"sentiment": "tone", "topics": "section"}. Default {"sentiment": "sentiment", "topics": "topic"}.')
    annotator_labels = serializers.BooleanField(
        default=False, help_text="Label Studio and doccano: the file holds annotators' unreviewed labels, not gold; "
                                 "they are then counted as skipped instead of becoming gold (texts without any "
                                 "labels still become items).")

    def validate_file(self, upload):
        if upload.size > MAX_UPLOAD_BYTES:
            raise serializers.ValidationError(f"The file is larger than {MAX_UPLOAD_BYTES // 2**20} MB; split it.")
        return upload

    def validate_choice_fields(self, value):
        if value is not None and not (isinstance(value, dict) and all(isinstance(v, str) for v in value.values())):
            raise serializers.ValidationError('Must be a JSON object of from_names, e.g. {"sentiment": "tone"}.')
        return value


class DocumentErrorSerializer(serializers.Serializer):
    origin = serializers.CharField(help_text='Where in the file: "<file>:<line or task number>".')
    message = serializers.CharField()


class LabelImportResultSerializer(serializers.Serializer):
    created = serializers.IntegerField(help_text="Documents that became their item's first gold.")
    updated = serializers.IntegerField(help_text="Documents whose labels replaced their item's different gold.")
    unchanged = serializers.IntegerField(help_text="Documents whose labels already were their item's gold.")
    unlabelled = serializers.IntegerField(help_text="Documents without labels: their texts, stored exactly, are items "
                                                    "of the project without gold (added now or before).")
    skipped = serializers.IntegerField(help_text="Documents with annotators' labels (not gold).")
    failed = serializers.IntegerField(help_text="Documents not imported; see errors.")
    errors = DocumentErrorSerializer(many=True, help_text="Why each failed document was not imported (the first "
                                                          "1000).")


class LabelImportViewSet(ActionThrottleMixin, ProjectNestedMixin, viewsets.ViewSet):
    """Managers: import gold labels from another tool into the project."""

    permission_classes = [Manager]
    parser_classes = [MultiPartParser, FormParser]
    throttle_scopes = {"create": "imports"}

    @extend_schema(
        parameters=[PROJECT_PK],
        request={"multipart/form-data": LabelImportInputSerializer},
        responses={201: LabelImportResultSerializer,
                   400: error_response("No file, an unknown format, bad choice_fields, or a file that cannot be "
                                       "read in that format."),
                   403: NOT_A_MANAGER, 404: NO_SUCH_PROJECT, 429: THROTTLED},
    )
    def create(self, request, project_pk=None):
        """Import a file's gold labels and unlabelled texts; bad documents are reported, the others imported.
        Safe to repeat."""
        params = LabelImportInputSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        args = params.validated_data
        upload = args["file"]
        result = labels_import(project=self.project, data=upload.read(), fmt=args["format"], user=request.user,
                               choice_fields=args["choice_fields"], annotator_labels=args["annotator_labels"],
                               origin=upload.name.rsplit("/", 1)[-1] or "upload")
        return Response(LabelImportResultSerializer(result).data, status=status.HTTP_201_CREATED)
