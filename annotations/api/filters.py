"""Query filters of the labeling API."""

import django_filters

from ..models import Item


class ItemFilter(django_filters.FilterSet):
    source = django_filters.NumberFilter(field_name="article__source")
    published_after = django_filters.IsoDateTimeFilter(field_name="article__published_at", lookup_expr="gte")
    published_before = django_filters.IsoDateTimeFilter(field_name="article__published_at", lookup_expr="lt")
    annotator = django_filters.NumberFilter(field_name="assignments__annotator", distinct=True,
                                            label="Items assigned to this user id")
    q = django_filters.CharFilter(field_name="article__title", lookup_expr="icontains", label="Title contains")

    class Meta:
        model = Item
        fields = ["project", "status"]
