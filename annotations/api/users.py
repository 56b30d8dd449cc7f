"""Users: staff manage everyone; a project's managers create annotators and reviewers in it.

The memberships a user is shown with are those in projects the caller manages (staff: all).
"""

from django.contrib.auth import get_user_model
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from ..models import Membership, Project
from ..users import projects_managed, user_activate, user_create, user_deactivate, user_list, user_update

Role = Membership.Role


class UserMembershipSerializer(serializers.Serializer):
    project = serializers.IntegerField(help_text="The project's id.")
    roles = serializers.ListField(child=serializers.ChoiceField(choices=Role.choices))


class UserSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    email = serializers.EmailField(allow_blank=True)
    first_name = serializers.CharField(allow_blank=True)
    last_name = serializers.CharField(allow_blank=True)
    is_active = serializers.BooleanField(help_text="False: deactivated, cannot sign in or use a token.")
    is_staff = serializers.BooleanField()
    memberships = serializers.SerializerMethodField(
        help_text="The user's roles per project, in the projects the caller manages.")

    @extend_schema_field(UserMembershipSerializer(many=True))
    def get_memberships(self, user) -> list[dict]:
        visible = self.context.get("managed_projects")
        roles: dict[int, list[str]] = {}
        for membership in sorted(user.memberships.all(), key=lambda m: (m.project_id, m.role)):
            if visible is None or membership.project_id in visible:
                roles.setdefault(membership.project_id, []).append(membership.role)
        return [{"project": project, "roles": held} for project, held in roles.items()]


class UserCreateSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(write_only=True, help_text="Checked by the password validators.")
    email = serializers.EmailField(required=False, default="", allow_blank=True)
    first_name = serializers.CharField(required=False, default="", allow_blank=True, max_length=150)
    last_name = serializers.CharField(required=False, default="", allow_blank=True, max_length=150)
    is_staff = serializers.BooleanField(required=False, default=False, help_text="Staff only.")
    project = serializers.PrimaryKeyRelatedField(queryset=Project.objects.all(), required=False, allow_null=True,
                                                 default=None, help_text="Make the user a member of this project "
                                                                         "(required for managers).")
    roles = serializers.ListField(child=serializers.ChoiceField(choices=Role.choices), required=False, default=list,
                                  help_text="Their roles in the project; managers give annotator and reviewer.")
    role = serializers.ChoiceField(choices=Role.choices, required=False, help_text="One role (instead of roles).")

    def validate(self, attrs):
        if "role" in attrs:
            attrs["roles"] = [*attrs["roles"], attrs.pop("role")]
        return attrs


class UserUpdateSerializer(serializers.Serializer):
    email = serializers.EmailField(required=False, allow_blank=True)
    first_name = serializers.CharField(required=False, allow_blank=True, max_length=150)
    last_name = serializers.CharField(required=False, allow_blank=True, max_length=150)
    is_staff = serializers.BooleanField(required=False)


class CanSeeUsers(permissions.BasePermission):
    """Staff, and managers of a project (who create its annotators and reviewers)."""

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and (user.is_staff or projects_managed(user=user).exists()))


NOT_ALLOWED = OpenApiResponse(description="Not staff, nor a manager of any project (or of this one).")
NOT_STAFF = OpenApiResponse(description="Not staff.")


@extend_schema_view(
    list=extend_schema(responses={200: UserSerializer(many=True), 403: NOT_ALLOWED}),
    retrieve=extend_schema(responses={200: UserSerializer, 403: NOT_ALLOWED, 404: OpenApiResponse(
        description="No such user among those you see.")}),
)
class UserViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Users. Staff see, create, change and deactivate everyone; a manager creates annotators and
    reviewers in a project they manage and sees the members of their projects."""

    serializer_class = UserSerializer
    permission_classes = [CanSeeUsers]
    filterset_fields = ["username", "is_active", "is_staff"]
    ordering_fields = ["username", "id"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return get_user_model().objects.none()
        return user_list(user=self.request.user).prefetch_related("memberships")

    def get_permissions(self):
        if self.action in ("partial_update", "deactivate", "activate"):
            return [permissions.IsAdminUser()]
        return super().get_permissions()

    def get_serializer_context(self):
        context = super().get_serializer_context()
        user = self.request.user
        if user.is_authenticated and not user.is_staff:
            context["managed_projects"] = set(projects_managed(user=user).values_list("pk", flat=True))
        return context

    @extend_schema(request=UserCreateSerializer, responses={
        201: UserSerializer, 400: OpenApiResponse(description="Bad input, a weak password, or a role or project "
                                                              "the caller may not give."),
        403: NOT_ALLOWED, 409: OpenApiResponse(description="The username is taken.")})
    def create(self, request):
        params = UserCreateSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        user = user_create(by=request.user, **params.validated_data)
        return Response(self.get_serializer(user).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=UserUpdateSerializer, responses={200: UserSerializer, 400: OpenApiResponse(
        description="Bad input."), 403: NOT_STAFF, 404: OpenApiResponse(description="No such user.")})
    def partial_update(self, request, pk=None):
        user = self.get_object()
        params = UserUpdateSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        user_update(user=user, **params.validated_data)
        return Response(self.get_serializer(user).data)

    @extend_schema(request=None, responses={200: UserSerializer, 403: NOT_STAFF,
                                            404: OpenApiResponse(description="No such user.")})
    @action(detail=True, methods=["post"])
    def deactivate(self, request, pk=None):
        """The user can no longer sign in or use a token; their items in progress return to the pool."""
        user = self.get_object()
        user_deactivate(user=user)
        return Response(self.get_serializer(user).data)

    @extend_schema(request=None, responses={200: UserSerializer, 403: NOT_STAFF,
                                            404: OpenApiResponse(description="No such user.")})
    @action(detail=True, methods=["post"])
    def activate(self, request, pk=None):
        """Let a deactivated user sign in again."""
        user = self.get_object()
        user_activate(user=user)
        return Response(self.get_serializer(user).data)
