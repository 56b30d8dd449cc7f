"""REST API of labeling: one module per resource, registered on the project's router."""

from .views import ItemViewSet, ProjectViewSet


def register(router) -> None:
    router.register("projects", ProjectViewSet, basename="project")
    router.register("items", ItemViewSet, basename="item")
