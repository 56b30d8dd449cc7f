"""What every resource under /api/projects/{project_pk}/ shares: the project in the URL, its
path parameter and the errors its endpoints document."""

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets

from newsroom.api.preconditions import IF_MATCH, STALE, IfMatchMixin
from newsroom.api.schema import error_response

from ..permissions import ActionPermissionsMixin, Manager, Member
from ..selectors import project_list

PROJECT_PK = OpenApiParameter("project_pk", OpenApiTypes.INT, OpenApiParameter.PATH, description="The project's id.")
NOT_A_MANAGER = error_response("Not signed in, or not a manager of the project.")
NO_SUCH_PROJECT = error_response("No such project among yours.")


class ProjectNestedMixin:
    """Loads the project in the URL among the caller's projects (404 for anyone else's) into
    ``self.project`` and checks the view's role permissions against it: roles are per project,
    whatever object of the project a request is about."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.project = get_object_or_404(project_list(user=request.user), pk=kwargs["project_pk"])
        self.check_object_permissions(request, self.project)

    def check_object_permissions(self, request, obj):
        super().check_object_permissions(request, getattr(self, "project", obj))

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if hasattr(self, "project"):
            context["project"] = self.project
        return context


SCHEMA_IN_USE = error_response("The name (or hotkey) is taken in the project, or labels use the type or "
                               "topic: detail says how many.")


# The writes to one object that If-Match guards (``newsroom.api.preconditions``).
GUARDED_WRITES = ("update", "partial_update", "destroy")
IF_MATCH_GUARDED = extend_schema_view(**{action: extend_schema(parameters=[IF_MATCH]) for action in GUARDED_WRITES})


@IF_MATCH_GUARDED
class ProjectSchemaViewSet(IfMatchMixin, ActionPermissionsMixin, ProjectNestedMixin, viewsets.ModelViewSet):
    """A part of the schema of the project in the URL (entity types, topics): members read,
    managers write; a write with If-Match is refused (412) if the object changed since it was read."""

    permission_classes = [Manager]
    action_permissions = {"list": [Member], "retrieve": [Member]}
    error_responses = {"create": {409: SCHEMA_IN_USE},
                       **{action: {409: SCHEMA_IN_USE, 412: STALE} for action in GUARDED_WRITES}}
