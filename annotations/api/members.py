"""A project's members and their roles: reviewers and managers read them; managers change them.

A member holds a set of roles, one membership row each (``Membership``): the list has a row
per role, and every row also says all the roles its user holds (``roles``).
"""

from django.contrib.auth import get_user_model
from django.db.models import Value
from django.db.models.functions import Concat
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.response import Response

from ..models import Membership
from ..permissions import ActionPermissionsMixin, Manager, Reviewer
from ..projects import member_add, member_remove, membership_role_change
from .nested import NO_SUCH_PROJECT, NOT_A_MANAGER, PROJECT_PK, ProjectNestedMixin

Role = Membership.Role


class MembershipSerializer(serializers.ModelSerializer):
    """One role of a member."""

    username = serializers.CharField(source="user.username", read_only=True)
    user_id = serializers.IntegerField(read_only=True)
    roles = serializers.SerializerMethodField(help_text="Every role the user holds in the project.")

    class Meta:
        model = Membership
        fields = ["id", "user_id", "username", "role", "roles"]

    def get_roles(self, membership) -> list[str]:
        held = self.context.get("roles_by_user")
        if held is None:
            held = _roles_by_user(membership.project.memberships.filter(user_id=membership.user_id))
        return held.get(membership.user_id, [])


class MembershipInputSerializer(serializers.Serializer):
    """Who (``username`` or ``user_id``) gets which roles (``role``, or several as ``roles``)."""

    username = serializers.CharField(required=False, help_text="The user, by username (or give user_id).")
    user_id = serializers.IntegerField(required=False, help_text="The user, by id (or give username).")
    role = serializers.ChoiceField(choices=Role.choices, required=False, help_text="One role to give.")
    roles = serializers.ListField(child=serializers.ChoiceField(choices=Role.choices), required=False,
                                  allow_empty=False, help_text="Several roles to give at once.")

    def validate(self, attrs):
        users = get_user_model().objects
        if "user_id" in attrs:
            user = users.filter(pk=attrs["user_id"]).first()
        elif "username" in attrs:
            user = users.filter(username=attrs["username"]).first()
        else:
            raise serializers.ValidationError("Name the user by username or user_id.")
        if user is None:
            raise serializers.ValidationError({"username": "No such user."})
        roles = attrs.get("roles") or ([attrs["role"]] if "role" in attrs else [])
        if not roles:
            raise serializers.ValidationError({"role": "Give a role, or several as roles."})
        return {"user": user, "roles": list(dict.fromkeys(roles))}


class MembershipUpdateSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=Role.choices)


def _roles_by_user(memberships) -> dict[int, list[str]]:
    roles: dict[int, list[str]] = {}
    for user_id, role in memberships.order_by("role").values_list("user_id", "role"):
        roles.setdefault(user_id, []).append(role)
    return roles


@extend_schema_view(
    list=extend_schema(responses={200: MembershipSerializer(many=True), 403: OpenApiResponse(
        description="Not a reviewer or manager of the project."), 404: NO_SUCH_PROJECT}),
    retrieve=extend_schema(responses={200: MembershipSerializer, 404: NO_SUCH_PROJECT}),
    destroy=extend_schema(responses={204: None, 403: NOT_A_MANAGER, 404: NO_SUCH_PROJECT}),
)
@extend_schema(parameters=[PROJECT_PK])
class MembershipViewSet(ActionPermissionsMixin, ProjectNestedMixin, viewsets.ModelViewSet):
    """Members and their roles. Managers add users (by username or id) with one or several
    roles, change a role and take one away; once a member no longer annotates, the items they
    were working on return to the pool."""

    serializer_class = MembershipSerializer
    queryset = Membership.objects.none()
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    # Who annotates what is not every annotator's business.
    permission_classes = [Manager]
    action_permissions = {"list": [Reviewer], "retrieve": [Reviewer]}

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Membership.objects.none()
        # By username, then role: one sort key the keyset pages can follow (usernames have no spaces).
        return (self.project.memberships.select_related("user")
                .annotate(listed_as=Concat("user__username", Value(" "), "role")).order_by("listed_as"))

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if hasattr(self, "project"):
            context["roles_by_user"] = _roles_by_user(self.project.memberships.all())
        return context

    @extend_schema(request=MembershipInputSerializer, responses={
        201: OpenApiResponse(MembershipSerializer, "The membership of the (first) role given; roles lists all."),
        400: OpenApiResponse(description="No such user, a deactivated user, or no role."),
        403: NOT_A_MANAGER, 404: NO_SUCH_PROJECT})
    def create(self, request, *args, **kwargs):
        params = MembershipInputSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        roles = params.validated_data["roles"]
        memberships = member_add(project=self.project, user=params.validated_data["user"], roles=roles)
        first = next(membership for membership in memberships if membership.role == roles[0])
        return Response(self.get_serializer(first).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=MembershipUpdateSerializer, responses={
        200: MembershipSerializer, 400: OpenApiResponse(description="Not a role."), 403: NOT_A_MANAGER,
        404: NO_SUCH_PROJECT})
    def partial_update(self, request, *args, **kwargs):
        params = MembershipUpdateSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        membership = membership_role_change(membership=self.get_object(), role=params.validated_data["role"])
        return Response(self.get_serializer(membership).data)

    def perform_destroy(self, instance):
        member_remove(membership=instance)
