"""Deploy checks: ``manage.py check --deploy`` refuses the laptop defaults in production."""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def embedded_defaults_check(app_configs, **kwargs):
    """With DEBUG off, SQLite, a missing (or the demo's folder) broker and the dev secret are errors."""
    if settings.DEBUG:
        return []
    errors = []
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        errors.append(Error("SQLite is for the embedded demo; set DATABASE_URL to PostgreSQL.",
                            id="newsroom.E001"))
    if not settings.CELERY_BROKER_URL or settings.CELERY_BROKER_URL.startswith("filesystem://"):
        errors.append(Error("No Celery broker (or the demo's folder broker); set CELERY_BROKER_URL "
                            "(e.g. redis://host:6379/0).",
                            id="newsroom.E002"))
    if settings.SECRET_KEY == settings.DEV_SECRET_KEY:
        errors.append(Error("SECRET_KEY is the development key; set a secret one.", id="newsroom.E003"))
    return errors
