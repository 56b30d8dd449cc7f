"""Settings defaults, the deploy check and the compose file."""

from pathlib import Path

import pytest
import yaml
from django.conf import settings as django_settings
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from newsroom.checks import embedded_defaults_check

ROOT = Path(django_settings.BASE_DIR)


@pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")
def test_deploy_check_refuses_laptop_defaults(settings):
    settings.DEBUG = False
    settings.DATABASES = {"default": {**settings.DATABASES["default"], "ENGINE": "django.db.backends.sqlite3"}}
    settings.CELERY_BROKER_URL = ""
    settings.SECRET_KEY = settings.DEV_SECRET_KEY
    ids = {error.id for error in embedded_defaults_check(None)}
    assert ids == {"newsroom.E001", "newsroom.E002", "newsroom.E003"}


@pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")
def test_deploy_check_passes_a_real_configuration(settings):
    settings.DEBUG = False
    settings.DATABASES = {"default": {**settings.DATABASES["default"], "ENGINE": "django.db.backends.postgresql"}}
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/0"
    settings.SECRET_KEY = "a-real-secret-of-sufficient-length-and-randomness-0123456789"
    assert embedded_defaults_check(None) == []


def test_deploy_check_refuses_the_demo_folder_broker(settings):
    settings.DEBUG = False
    settings.CELERY_BROKER_URL = "filesystem://localhost/"
    assert "newsroom.E002" in {error.id for error in embedded_defaults_check(None)}


def test_manage_check_deploy_fails_on_defaults(settings):
    settings.DEBUG = False
    settings.SECRET_KEY = settings.DEV_SECRET_KEY
    with pytest.raises(SystemCheckError, match="newsroom.E003"):
        call_command("check", deploy=True, fail_level="ERROR")


def test_env_example_lists_every_variable_the_settings_read():
    source = (ROOT / "newsroom" / "settings.py").read_text()
    import re

    read = set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z_]+)"', source))
    listed = {line.split("=", 1)[0] for line in (ROOT / ".env.example").read_text().splitlines()
              if line and not line.startswith("#")}
    assert read and read <= listed, f"missing from .env.example: {read - listed}"


def test_compose_runs_web_worker_and_beat_from_one_image():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"postgres", "redis", "web", "preannotate", "beat"} <= set(services)
    assert services["preannotate"]["image"] == services["web"]["image"] == services["beat"]["image"]
    assert "celery" in services["preannotate"]["command"] and "worker" in services["preannotate"]["command"]
    assert "gunicorn newsroom.wsgi" in services["web"]["command"]
    assert "check --deploy" in services["web"]["command"]
