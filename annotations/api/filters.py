"""Query filters of the labeling API."""

import django_filters
from django.db.models import Exists, OuterRef, Q

from newsroom.api.filters import UtcIsoDateTimeFilter

from ..models import Annotation, Gold, Item


class ItemFilter(django_filters.FilterSet):
    source = django_filters.NumberFilter(field_name="article__source")
    published_after = UtcIsoDateTimeFilter(field_name="article__published_at", lookup_expr="gte")
    published_before = UtcIsoDateTimeFilter(field_name="article__published_at", lookup_expr="lt")
    annotator = django_filters.NumberFilter(field_name="assignments__annotator", distinct=True,
                                            label="Items assigned to this user id")
    q = django_filters.CharFilter(field_name="article__title", lookup_expr="icontains", label="Title contains")
    topic = django_filters.NumberFilter(method="filter_topic",
                                        label="Items whose gold or any annotation has this topic id")
    agreement_min = django_filters.NumberFilter(field_name="agreement", lookup_expr="gte",
                                                label="Annotators' agreement at least (0 to 1)")
    agreement_max = django_filters.NumberFilter(field_name="agreement", lookup_expr="lte",
                                                label="Annotators' agreement at most (0 to 1): disputed items")
    ordering = django_filters.OrderingFilter(fields=(("agreement", "agreement"), ("created_at", "created"),
                                                     ("article__published_at", "published")))

    class Meta:
        model = Item
        fields = ["project", "status"]

    def filter_topic(self, queryset, name, value):
        gold = Gold.objects.filter(status=Gold.Status.ACCEPTED).with_topic(int(value))
        annotations = Annotation.objects.with_topic(int(value))
        return queryset.filter(Q(Exists(gold.filter(item=OuterRef("pk"))))
                               | Q(Exists(annotations.filter(item=OuterRef("pk")))))
