"""Query filters of the labeling API.

In a blind project an annotator learns nothing of the other annotators' work: over the items
of such projects (``projects_blind_to``) the status and agreement filters match nothing (those
figures are hidden from them), ordering by agreement treats them as unknown, the topic filter
matches only the caller's own labels, and ``annotator`` finds other people's items only in
projects the caller reviews or manages.
"""

from functools import cached_property

import django_filters
from django.db.models import Case, Exists, F, OuterRef, Q, Value, When

from newsroom.api.filters import UtcIsoDateTimeFilter

from ..models import Annotation, Assignment, Gold, Item
from ..selectors import projects_blind_to, projects_overseen_by


class ItemFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Item.Status.choices, method="filter_status",
                                         label="Item status (not for annotators of a blind project)")
    source = django_filters.NumberFilter(field_name="article__source")
    published_after = UtcIsoDateTimeFilter(field_name="article__published_at", lookup_expr="gte")
    published_before = UtcIsoDateTimeFilter(field_name="article__published_at", lookup_expr="lt")
    annotator = django_filters.NumberFilter(method="filter_annotator",
                                            label="Items assigned to this user id (in projects you review or "
                                                  "manage; elsewhere only your own id matches)")
    q = django_filters.CharFilter(field_name="article__title", lookup_expr="icontains", label="Title contains")
    topic = django_filters.NumberFilter(method="filter_topic",
                                        label="Items whose gold or any annotation has this topic id (annotators "
                                              "of a blind project: their own annotations)")
    agreement_min = django_filters.NumberFilter(field_name="shown_agreement", lookup_expr="gte",
                                                label="Annotators' agreement at least (0 to 1)")
    agreement_max = django_filters.NumberFilter(field_name="shown_agreement", lookup_expr="lte",
                                                label="Annotators' agreement at most (0 to 1): disputed items")
    ordering = django_filters.OrderingFilter(fields=(("shown_agreement", "agreement"), ("created_at", "created"),
                                                     ("article__published_at", "published")))

    class Meta:
        model = Item
        fields = ["project"]

    @cached_property
    def blind(self) -> set[int]:
        return projects_blind_to(user=self.request.user)

    def filter_queryset(self, queryset):
        # The agreement the caller may see: none on the items of their blind projects.
        shown = Case(When(project__in=self.blind, then=Value(None)), default=F("agreement"))
        return super().filter_queryset(queryset.annotate(shown_agreement=shown))

    def filter_status(self, queryset, name, value):
        return queryset.filter(status=value).exclude(project__in=self.blind)

    def filter_annotator(self, queryset, name, value):
        user = self.request.user
        theirs = Exists(Assignment.objects.filter(item=OuterRef("pk"), annotator=int(value)))
        if int(value) == user.pk:
            return queryset.filter(theirs)
        return queryset.filter(theirs, project__in=projects_overseen_by(user=user))

    def filter_topic(self, queryset, name, value):
        gold = Gold.objects.filter(status=Gold.Status.ACCEPTED).with_topic(int(value))
        annotations = Annotation.objects.with_topic(int(value))
        own = annotations.filter(annotator=self.request.user)
        anyones = Q(Exists(gold.filter(item=OuterRef("pk")))) | Q(Exists(annotations.filter(item=OuterRef("pk"))))
        return queryset.filter((~Q(project__in=self.blind) & anyones)
                               | (Q(project__in=self.blind) & Q(Exists(own.filter(item=OuterRef("pk"))))))
