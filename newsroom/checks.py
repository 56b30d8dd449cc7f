"""Deploy checks: ``manage.py check --deploy`` refuses the laptop defaults in production."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


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


@register(Tags.security, deploy=True)
def login_lockout_check(app_configs, **kwargs):
    """With DEBUG off, login lockout switched off is a warning: passwords could be guessed at leisure."""
    if settings.DEBUG or settings.AXES_ENABLED:
        return []
    return [Warning("Login lockout is off (AXES_ENABLED=false): passwords can be guessed without limit.",
                    id="newsroom.W001")]
