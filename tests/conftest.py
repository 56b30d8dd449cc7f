"""Fixtures shared by the whole suite. Pure tests (readers, cleaning, dedupe) need no database."""

import pytest


@pytest.fixture(autouse=True)
def _test_settings(request, tmp_path):
    """Uploads and stored files of a test live in its own folder, never in var/; passwords
    hash fast (the real hasher takes ~0.3 s per user by design)."""
    if "settings" in request.fixturenames or "db" in request.fixturenames or _uses_django(request):
        settings = request.getfixturevalue("settings")
        settings.MEDIA_ROOT = tmp_path / "media"
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _uses_django(request) -> bool:
    return any(marker.name == "django_db" for marker in request.node.iter_markers())


@pytest.fixture(autouse=True)
def _fresh_cache():
    """API throttle counters live in the cache: every test starts from none."""
    yield
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def manager(db):
    from tests import factories

    return factories.UserFactory(is_staff=True)


@pytest.fixture
def annotator(db):
    from tests import factories

    return factories.UserFactory()


@pytest.fixture(autouse=True)
def _eager_celery(request):
    """Tasks run in-process unless a test starts its own worker (marker ``pipeline``)."""
    if request.node.get_closest_marker("pipeline"):
        yield
        return
    from newsroom.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous
