"""A project's schema and members: what labels it accepts, its topic paths, and changing the
schema and members without breaking the labels already given.

Spans store their entity type by name and labels store topics by id, so a type that is in
use is never renamed or deleted, and a topic in use is never deleted (renaming a topic is
safe: labels point at its id). Labels store sentiment by value, so a value in use never
leaves the scale (reordering and adding values are safe). Those refusals are Conflicts (409)
that say what uses it.
"""

from collections import Counter
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Count

from newsroom.errors import Conflict, DomainError

from .models import Annotation, AnnotationSpan, EntityType, Gold, GoldSpan, Item, Membership, Project, Topic
from .queue import assignments_release
from .validation import LabelRules, SpanInput, labels_validate

# Between the names of a topic path, "Parent/Child", wherever a topic is named by its place in the
# taxonomy: exports, label imports, the dashboard and the pages.
TOPIC_PATH_SEPARATOR = "/"


def project_label_rules(project: Project) -> LabelRules:
    """The labels ``project`` accepts, for validating a submit, gold or an import."""
    return LabelRules(
        sentiment_scale=tuple(project.sentiment_scale),
        topic_ids=frozenset(project.topics.values_list("id", flat=True)),
        entity_labels=frozenset(project.entity_types.values_list("name", flat=True)),
        allow_overlapping_spans=project.allow_overlapping_spans,
        entity_sentiment=project.entity_sentiment,
    )


def item_labels_check(*, item: Item, sentiment: str, topics: Iterable[int], spans: Iterable[SpanInput]) -> None:
    """Refuse labels that do not fit the item's project and body, with every problem by field."""
    errors = labels_validate(body=item.article.body, rules=project_label_rules(item.project), sentiment=sentiment,
                             topics=topics, spans=spans)
    if errors:
        raise DomainError("The labels are not valid for this project and article.", detail=errors)


def topic_paths(topics: Iterable[Topic], *, separator: str = TOPIC_PATH_SEPARATOR) -> dict[int, str]:
    """Topic id -> its path of names from the root, "Parent/Child", for one project's ``topics``
    (all of them: a parent missing from ``topics`` ends the path there)."""
    by_id = {topic.pk: topic for topic in topics}
    paths: dict[int, str] = {}

    def path(topic: Topic) -> str:
        if topic.pk not in paths:
            parent = by_id.get(topic.parent_id)
            paths[topic.pk] = (path(parent) + separator if parent else "") + topic.name
        return paths[topic.pk]

    for topic in by_id.values():
        path(topic)
    return paths


def project_topic_paths(project: Project) -> dict[int, str]:
    """``topic_paths`` of every topic of ``project``."""
    return topic_paths(project.topics.only("pk", "parent_id", "name"))


def project_update(*, project: Project, **fields) -> Project:
    """Change a project's settings; values that labels use stay on its sentiment scale."""
    if "sentiment_scale" in fields:
        dropped = set(project.sentiment_scale) - set(fields["sentiment_scale"])
        uses = _sentiment_uses(project, dropped) if dropped else {}
        if uses:
            named = ", ".join(f"{value!r} ({count})" for value, count in sorted(uses.items()))
            raise Conflict(f"Labels use the sentiment values {named}; they cannot leave the scale.",
                           detail={"uses": sum(uses.values()), "values": uses})
    for field, value in fields.items():
        setattr(project, field, value)
    project.save()
    return project


def _sentiment_uses(project: Project, values: set[str]) -> dict[str, int]:
    """How many annotations, gold records and spans (sentiment toward an entity) use each of ``values``."""
    uses: Counter[str] = Counter()
    for rows in (Annotation.objects.filter(item__project=project), Gold.objects.filter(item__project=project),
                 AnnotationSpan.objects.filter(annotation__item__project=project),
                 GoldSpan.objects.filter(gold__item__project=project)):
        counts = rows.filter(sentiment__in=values).order_by().values_list("sentiment").annotate(n=Count("pk"))
        for value, count in counts:
            uses[value] += count
    return dict(uses)


def _entity_type_uses(project: Project, name: str) -> int:
    return (AnnotationSpan.objects.filter(annotation__item__project=project, label=name).count()
            + GoldSpan.objects.filter(gold__item__project=project, label=name).count())


def entity_type_save(*, project: Project, entity_type: EntityType | None = None, **fields) -> EntityType:
    """Create an entity type, or change one (a type in use keeps its name)."""
    entity_type = entity_type or EntityType(project=project)
    new_name = fields.get("name", entity_type.name)
    if entity_type.pk and new_name != entity_type.name:
        uses = _entity_type_uses(project, entity_type.name)
        if uses:
            raise Conflict(f"{uses} labelled spans use the type {entity_type.name!r}; it cannot be renamed.",
                           detail={"uses": uses})
    for field, value in fields.items():
        setattr(entity_type, field, value)
    return _saved(entity_type, "An entity type with this name or hotkey exists in the project.")


def entity_type_delete(*, entity_type: EntityType) -> None:
    uses = _entity_type_uses(entity_type.project, entity_type.name)
    if uses:
        raise Conflict(f"{uses} labelled spans use the type {entity_type.name!r}; it cannot be deleted.",
                       detail={"uses": uses})
    entity_type.delete()


def topic_save(*, project: Project, topic: Topic | None = None, **fields) -> Topic:
    """Create a topic or change one; its parent must be a topic of the project, not itself or below it."""
    topic = topic or Topic(project=project)
    parent = fields.get("parent", topic.parent)
    if parent is not None:
        if parent.project_id != project.pk:
            raise DomainError("The parent topic belongs to another project.")
        if topic.pk and topic.pk in _ancestry(parent):
            raise DomainError("A topic cannot sit under itself or one of its subtopics.")
    for field, value in fields.items():
        setattr(topic, field, value)
    return _saved(topic, "A topic with this name exists at this place in the taxonomy.")


def topic_delete(*, topic: Topic) -> None:
    """Delete a topic and its subtopics, unless labels use any of them."""
    ids = _subtree(topic)
    uses = sum(1 for topics in _topic_lists(topic.project) if ids & set(topics))
    if uses:
        raise Conflict(f"{uses} annotations or gold records use this topic or a subtopic; it cannot be deleted.",
                       detail={"uses": uses})
    topic.delete()


def member_add(*, project: Project, user, roles: Iterable[str]) -> list[Membership]:
    """Give ``user`` each of ``roles`` in the project (a role they hold stays as it is).
    Returns their memberships in the project, one per role they now hold. Idempotent."""
    if not user.is_active:
        raise DomainError(f"The user {user.get_username()!r} is deactivated.")
    for role in roles:
        Membership.objects.get_or_create(project=project, user=user, role=role)
    return list(project.memberships.filter(user=user).select_related("user"))


def member_set(*, project: Project, username: str, role: str) -> Membership:
    """Give the user called ``username`` ``role`` in the project (their other roles stay)."""
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise DomainError(f"No user is called {username!r}.")
    return next(m for m in member_add(project=project, user=user, roles=[role]) if m.role == role)


def membership_role_change(*, membership: Membership, role: str) -> Membership:
    """Change one of a member's roles into ``role``; if they hold ``role`` already, this role is
    dropped instead (what is left is the same set). Returns the membership that holds ``role``."""
    if membership.role == role:
        return membership
    with transaction.atomic():
        held = Membership.objects.filter(project=membership.project, user=membership.user, role=role).first()
        if held is None:
            membership.role = role
            membership.save(update_fields=["role"])
            held = membership
        else:
            membership.delete()
        _release_if_no_longer_annotating(membership.project, membership.user)
    return held


def member_remove(*, membership: Membership) -> int:
    """Take one role from a member. When they no longer annotate, the items they were working on
    go back to the pool. Their submitted labels stay (they are part of the project's history).
    Returns the items released."""
    with transaction.atomic():
        membership.delete()
        return _release_if_no_longer_annotating(membership.project, membership.user)


def _release_if_no_longer_annotating(project: Project, user) -> int:
    if project.memberships.filter(user=user, role=Membership.Role.ANNOTATOR).exists():
        return 0
    return assignments_release(project=project, annotator=user)


def _saved(instance, conflict_message: str):
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as exc:
        raise Conflict(conflict_message) from exc
    return instance


def _ancestry(topic: Topic) -> set[int]:
    seen = set()
    while topic is not None and topic.pk not in seen:
        seen.add(topic.pk)
        topic = topic.parent
    return seen


def _subtree(topic: Topic) -> set[int]:
    children = {}
    for pk, parent in Topic.objects.filter(project=topic.project).values_list("pk", "parent"):
        children.setdefault(parent, []).append(pk)
    ids, todo = set(), [topic.pk]
    while todo:
        pk = todo.pop()
        ids.add(pk)
        todo.extend(children.get(pk, ()))
    return ids


def _topic_lists(project: Project):
    yield from Annotation.objects.filter(item__project=project).values_list("topics", flat=True).iterator()
    yield from Gold.objects.filter(item__project=project).values_list("topics", flat=True).iterator()
