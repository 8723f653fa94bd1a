"""Users, their groups and permissions, and a group's members as nested DRF resources
(lookups ``user_pk`` and ``group_pk``), with a detail and a list ``@action``."""

from django.contrib.auth.models import Group, Permission, User
from django.urls import include, path
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework_nested import routers


class UserSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "username"]


class GroupSerializer(serializers.ModelSerializer):
    class Meta:
        model = Group
        fields = ["id", "name"]


class PermissionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Permission
        fields = ["id", "codename"]


class UserViewSet(viewsets.ModelViewSet):
    queryset = User.objects.all()
    serializer_class = UserSerializer

    @action(detail=True, methods=["post"])
    def set_password(self, request, pk=None):
        return Response({})

    @action(detail=False)
    def recent(self, request):
        return Response([])


class GroupViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Group.objects.all()
    serializer_class = GroupSerializer
    lookup_value_regex = "[0-9]+"


class UserGroupViewSet(viewsets.ModelViewSet):
    serializer_class = GroupSerializer

    def get_queryset(self):
        return Group.objects.filter(user=self.kwargs["user_pk"])


class MemberViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = UserSerializer

    def get_queryset(self):
        return User.objects.filter(groups=self.kwargs["group_pk"])


class PermissionViewSet(viewsets.ModelViewSet):
    serializer_class = PermissionSerializer
    lookup_field = "codename"
    lookup_value_regex = "[a-z_]+"

    def get_queryset(self):
        return Permission.objects.all()


router = routers.DefaultRouter()
router.register(r"users", UserViewSet)
router.register(r"groups", GroupViewSet)

users_router = routers.NestedDefaultRouter(router, r"users", lookup="user")
users_router.register(r"groups", UserGroupViewSet, basename="user-groups")
users_router.register(r"permissions", PermissionViewSet, basename="user-permissions")

groups_router = routers.NestedSimpleRouter(users_router, r"groups", lookup="group")
groups_router.register(r"members", MemberViewSet, basename="user-group-members")

urlpatterns = [
    path("api/", include(router.urls)),
    path("api/", include(users_router.urls)),
    path("api/", include(groups_router.urls)),
    path("api-auth/", include("rest_framework.urls", namespace="rest_framework")),
]
