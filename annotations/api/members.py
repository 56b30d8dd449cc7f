"""A project's members and their roles: reviewers and managers read them; managers change them."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.response import Response

from ..models import Membership
from ..permissions import ActionPermissionsMixin, Manager, Reviewer
from ..projects import member_remove, member_set
from .nested import PROJECT_PK, ProjectNestedMixin


class MembershipSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username")

    class Meta:
        model = Membership
        fields = ["id", "username", "role"]
        # A member is added with a role; a change of role names the new one (PATCH may leave it out).
        extra_kwargs = {"role": {"required": True}}


@extend_schema(parameters=[PROJECT_PK])
class MembershipViewSet(ActionPermissionsMixin, ProjectNestedMixin, viewsets.ModelViewSet):
    """Members and their roles. Managers add (by username), change roles and remove; removing
    a member returns the items they were working on to the pool."""

    serializer_class = MembershipSerializer
    queryset = Membership.objects.none()
    # Who annotates what is not every annotator's business.
    permission_classes = [Manager]
    action_permissions = {"list": [Reviewer], "retrieve": [Reviewer]}

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Membership.objects.none()
        return self.project.memberships.select_related("user").order_by("user__username")

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        membership = member_set(project=self.project, username=serializer.validated_data["user"]["username"],
                                role=serializer.validated_data["role"])
        return Response(self.get_serializer(membership).data, status=status.HTTP_201_CREATED)

    def perform_update(self, serializer):
        serializer.instance = member_set(project=self.project, username=serializer.instance.user.username,
                                         role=serializer.validated_data.get("role", serializer.instance.role))

    def perform_destroy(self, instance):
        member_remove(membership=instance)
