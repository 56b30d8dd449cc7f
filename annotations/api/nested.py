"""What every resource under /api/projects/{project_pk}/ shares."""

from django.shortcuts import get_object_or_404

from ..selectors import project_list


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
