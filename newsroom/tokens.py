"""API tokens (rest_framework.authtoken): one per user, made, replaced and deleted by their owner."""

from django.db import transaction
from rest_framework.authtoken.models import Token


def token_get_or_create(*, user) -> Token:
    """The user's token, created on first use (one per user). Idempotent."""
    return Token.objects.get_or_create(user=user)[0]


def token_rotate(*, user) -> Token:
    """Replace the user's token by a new one; the old one stops working at once."""
    with transaction.atomic():
        Token.objects.filter(user=user).delete()
        return Token.objects.create(user=user)


def token_revoke(*, user) -> bool:
    """Delete the user's token; whether there was one."""
    return Token.objects.filter(user=user).delete()[0] > 0
