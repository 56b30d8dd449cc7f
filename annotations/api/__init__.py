"""REST API of labeling: one module per resource, registered on the project's router.

    projects, items                       the top-level resources and their actions
    entity_types, topics, members         a project's schema and people
    releases, label_imports               datasets out and in
    preannotation_runs                    a project's pre-annotation runs
    nested                                what resources under /api/projects/{project_pk}/ share
    serializers, filters                  shapes and query filters shared by several resources

Views are adapters: parse with a serializer, call one service or selector of the domain
(``services``, ``queue``, ``projects``, ``datasets``, ``preannotation``, ``agreement``), answer
with a serializer. Permissions are declared per action (``permissions.ActionPermissionsMixin``).
"""

from .entity_types import EntityTypeViewSet
from .items import ItemViewSet
from .label_imports import LabelImportViewSet
from .members import MembershipViewSet
from .preannotation_runs import PreannotationRunViewSet
from .projects import ProjectViewSet
from .releases import ReleaseViewSet
from .topics import TopicViewSet


def register(router) -> None:
    router.register("projects", ProjectViewSet, basename="project")
    router.register("items", ItemViewSet, basename="item")
    router.register(r"projects/(?P<project_pk>\d+)/label-imports", LabelImportViewSet, basename="project-label-import")
    router.register(r"projects/(?P<project_pk>\d+)/releases", ReleaseViewSet, basename="project-release")
    router.register(r"projects/(?P<project_pk>\d+)/entity-types", EntityTypeViewSet, basename="project-entity-type")
    router.register(r"projects/(?P<project_pk>\d+)/topics", TopicViewSet, basename="project-topic")
    router.register(r"projects/(?P<project_pk>\d+)/members", MembershipViewSet, basename="project-member")
    router.register(r"projects/(?P<project_pk>\d+)/preannotation-runs", PreannotationRunViewSet,
                    basename="project-preannotation-run")
