"""REST API of labeling: one module per resource, registered on the project's router.

    projects, items                       the top-level resources and their actions
    entity_types, topics, members         a project's schema and people
    imports, project_articles             the corpus' imports into a chosen project; stored articles added to one
    users                                 accounts: staff manage all, managers create their members
    releases, label_imports               datasets out and in
    preannotation_runs                    a project's pre-annotation runs
    model_versions                        models trained on a project's gold: versions, training, promotion
    nested                                what resources under /api/projects/{project_pk}/ share
    serializers, filters                  shapes and query filters shared by several resources

Views are adapters: parse with a serializer, call one service or selector of the domain
(``services``, ``queue``, ``projects``, ``datasets``, ``preannotation``, ``agreement``), answer
with a serializer. Permissions are declared per action (``permissions.ActionPermissionsMixin``).
"""

from .entity_types import EntityTypeViewSet
from .imports import ImportBatchViewSet
from .items import ItemViewSet
from .label_imports import LabelImportViewSet
from .members import MembershipViewSet
from .model_versions import ModelVersionViewSet
from .preannotation_runs import PreannotationRunViewSet
from .project_articles import ProjectArticlesViewSet
from .projects import ProjectViewSet
from .releases import ReleaseViewSet
from .topics import TopicViewSet
from .users import UserViewSet


def register(router) -> None:
    router.register("projects", ProjectViewSet, basename="project")
    router.register("items", ItemViewSet, basename="item")
    router.register("users", UserViewSet, basename="user")
    router.register(r"projects/(?P<project_pk>\d+)/label-imports", LabelImportViewSet, basename="project-label-import")
    router.register(r"projects/(?P<project_pk>\d+)/releases", ReleaseViewSet, basename="project-release")
    router.register(r"projects/(?P<project_pk>\d+)/entity-types", EntityTypeViewSet, basename="project-entity-type")
    router.register(r"projects/(?P<project_pk>\d+)/topics", TopicViewSet, basename="project-topic")
    router.register(r"projects/(?P<project_pk>\d+)/members", MembershipViewSet, basename="project-member")
    router.register(r"projects/(?P<project_pk>\d+)/articles", ProjectArticlesViewSet, basename="project-article")
    router.register(r"projects/(?P<project_pk>\d+)/preannotation-runs", PreannotationRunViewSet,
                    basename="project-preannotation-run")
    router.register(r"projects/(?P<project_pk>\d+)/models", ModelVersionViewSet, basename="project-model")
