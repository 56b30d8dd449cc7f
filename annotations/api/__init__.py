"""REST API of labeling: one module per resource, registered on the project's router."""

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
