"""People: who may see and create which users. Staff manage every user; a project's managers
create annotators and reviewers in the projects they manage, and see those projects' members.

A user is made with their memberships in one transaction, so a half-made account (a user in no
project) never stays behind a refused request.
"""

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet

from newsroom.errors import Conflict, DomainError

from .models import Membership, Project
from .projects import member_add
from .queue import assignments_release

Role = Membership.Role
# What a project's manager may make of a new user (making managers is for staff).
ROLES_MANAGERS_GIVE = frozenset({Role.ANNOTATOR, Role.REVIEWER})


def projects_managed(*, user) -> QuerySet[Project]:
    """The projects whose members ``user`` manages (staff: all)."""
    if user.is_staff:
        return Project.objects.all()
    return Project.objects.filter(memberships__user=user, memberships__role=Role.MANAGER).distinct()


def user_list(*, user) -> QuerySet:
    """The users ``user`` may see: everyone for staff, the members of the projects they manage
    (themselves included) for a manager, themselves for anyone else."""
    users = get_user_model().objects.order_by("username")
    if user.is_staff:
        return users
    managed = projects_managed(user=user).values("pk")
    return users.filter(Q(pk__in=Membership.objects.filter(project__in=managed).values("user")) | Q(pk=user.pk))


def user_create(*, by, username: str, password: str, email: str = "", first_name: str = "", last_name: str = "",
                is_staff: bool = False, project: Project | None = None, roles: Iterable[str] = ()):
    """Create an active user, with ``roles`` in ``project`` when given, for ``by``.

    Staff may create any user; a manager only annotators and reviewers of a project they manage.
    Raises DomainError (400) for a refused request or a weak password, Conflict (409) for a
    username that is taken. Not idempotent: a second call with the same username is a Conflict.
    """
    roles = list(dict.fromkeys(roles))
    _check_may_create(by=by, project=project, roles=roles, is_staff=is_staff)
    model = get_user_model()
    candidate = model(username=username, email=email, first_name=first_name, last_name=last_name)
    try:
        validate_password(password, user=candidate)
    except ValidationError as exc:
        raise DomainError("The password is too weak.", detail={"password": exc.messages}) from exc
    try:
        with transaction.atomic():
            user = model.objects.create_user(username=username, password=password, email=email,
                                             first_name=first_name, last_name=last_name, is_staff=is_staff)
            if project is not None:
                member_add(project=project, user=user, roles=roles)
    except IntegrityError as exc:
        raise Conflict(f"A user is already called {username!r}.", detail={"username": username}) from exc
    return user


def _check_may_create(*, by, project: Project | None, roles: list[str], is_staff: bool) -> None:
    if project is None and roles:
        raise DomainError("Roles need a project.", detail={"project": ["Name the project the roles are in."]})
    if project is not None and not roles:
        raise DomainError("Give the new member's roles in the project.", detail={"roles": ["Give one role or more."]})
    if by.is_staff:
        return
    if is_staff:
        raise DomainError("Only staff make staff users.", detail={"is_staff": ["Only staff make staff users."]})
    if project is None or not projects_managed(user=by).filter(pk=project.pk).exists():
        raise DomainError("Managers create users in a project they manage.",
                          detail={"project": ["Name a project you manage."]})
    if not set(roles) <= ROLES_MANAGERS_GIVE:
        raise DomainError("Managers create annotators and reviewers; staff make managers.",
                          detail={"roles": [f"Choose among {sorted(ROLES_MANAGERS_GIVE)}."]})


# What staff may change of a user over the API (passwords are the user's own business).
USER_FIELDS_CHANGED = ("email", "first_name", "last_name", "is_staff")


def user_update(*, user, **fields) -> None:
    """Change ``fields`` (among USER_FIELDS_CHANGED) of ``user``."""
    unknown = set(fields) - set(USER_FIELDS_CHANGED)
    if unknown:
        raise DomainError(f"These fields cannot be changed here: {sorted(unknown)}.")
    for field, value in fields.items():
        setattr(user, field, value)
    if fields:
        user.save(update_fields=list(fields))


def user_deactivate(*, user) -> int:
    """Deactivate ``user``: they can no longer sign in or use their token, and the items they
    were working on go back to the pool. Their labels stay. Returns the items released.
    Idempotent."""
    with transaction.atomic():
        get_user_model().objects.filter(pk=user.pk).update(is_active=False)
        user.is_active = False
        return sum(assignments_release(project=project, annotator=user)
                   for project in Project.objects.filter(memberships__user=user).distinct())


def user_activate(*, user) -> None:
    """Let a deactivated user sign in again. Idempotent."""
    get_user_model().objects.filter(pk=user.pk).update(is_active=True)
    user.is_active = True
