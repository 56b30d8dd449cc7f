"""Your own API token: create (or read) it, rotate it, revoke it.

``POST /api/auth/token/`` answers with the caller's token, created on first use. The caller
signs in with ``username`` and ``password`` in the body (how a script starts) or is already
signed in (session, token or basic). ``POST .../rotate/`` replaces the token (the old one stops
working at once), ``DELETE`` revokes it.
"""

from django.contrib.auth import authenticate
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed, NotAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from newsroom.tokens import token_get_or_create, token_revoke, token_rotate


class TokenInputSerializer(serializers.Serializer):
    username = serializers.CharField(required=False, help_text="Sign in with these (unless already signed in).")
    password = serializers.CharField(required=False, write_only=True, style={"input_type": "password"})


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text='Send as the header "Authorization: Token <token>".')
    username = serializers.CharField()
    created = serializers.DateTimeField(help_text="When this token was made.")


def _answer(token: Token, code=status.HTTP_200_OK) -> Response:
    return Response(TokenSerializer({"token": token.key, "username": token.user.get_username(),
                                     "created": token.created}).data, status=code)


UNAUTHENTICATED = OpenApiResponse(description="Not signed in, or wrong username or password.")
LOCKED_OUT = OpenApiResponse(description="Too many wrong passwords for this username from this address: locked out "
                                         "for the seconds in Retry-After.")


class TokenView(APIView):
    """The caller's own token."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(request=TokenInputSerializer, responses={200: TokenSerializer, 401: UNAUTHENTICATED,
                                                             403: UNAUTHENTICATED, 429: LOCKED_OUT})
    def post(self, request):
        params = TokenInputSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        user = request.user if request.user.is_authenticated else None
        if "username" in params.validated_data:
            user = authenticate(request=request._request, username=params.validated_data["username"],
                                password=params.validated_data.get("password", ""))
            if user is None:
                raise AuthenticationFailed("Wrong username or password, or the user is deactivated.")
        if user is None:
            raise NotAuthenticated("Send username and password, or sign in first.")
        return _answer(token_get_or_create(user=user))

    @extend_schema(request=None, responses={204: None, 401: UNAUTHENTICATED, 403: UNAUTHENTICATED})
    def delete(self, request):
        if not request.user.is_authenticated:
            raise NotAuthenticated()
        token_revoke(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TokenRotateView(APIView):
    """A new token for the caller; the old one stops working."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses={201: TokenSerializer, 401: UNAUTHENTICATED, 403: UNAUTHENTICATED})
    def post(self, request):
        return _answer(token_rotate(user=request.user), status.HTTP_201_CREATED)
