"""Security settings come from the environment: with the TLS variables of .env.example set,
``manage.py check --deploy`` has nothing to say; lockout and throttle rates follow theirs."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "false", "SECRET_KEY": "a-long-random-production-secret-0123456789-abcdefghijklmnop",
    "ALLOWED_HOSTS": "newsroom.example.org", "DATABASE_URL": "postgres://newsroom@127.0.0.1:5432/newsroom",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
}
TLS = {
    "SECURE_SSL_REDIRECT": "true", "SESSION_COOKIE_SECURE": "true", "CSRF_COOKIE_SECURE": "true",
    "SECURE_HSTS_SECONDS": "31536000", "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true", "SECURE_HSTS_PRELOAD": "true",
    "SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO,https",
}


# Set by the browser tests for their own process; a deployment never has it (check --deploy says so).
TEST_ONLY = {"DJANGO_ALLOW_ASYNC_UNSAFE"}


def manage(*args, env):
    """Run manage.py with only ``env`` set of Newsroom's variables."""
    clean = {key: value for key, value in os.environ.items() if key not in {*PRODUCTION, *TLS, *TEST_ONLY}}
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env={**clean, **env},
                          capture_output=True, text=True, timeout=120)


def test_check_deploy_is_clean_for_a_tls_deployment():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env={**PRODUCTION, **TLS})

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_names_what_a_deployment_without_tls_settings_misses():
    result = manage("check", "--deploy", env={**PRODUCTION, "AXES_ENABLED": "false"})

    for warning in ("security.W004", "security.W008", "security.W012", "security.W016", "newsroom.W001"):
        assert warning in result.stderr, warning


def test_lockout_throttle_and_tls_settings_are_read_from_the_environment():
    env = {**PRODUCTION, **TLS, "AXES_FAILURE_LIMIT": "7", "AXES_COOLOFF_MINUTES": "30",
           "THROTTLE_EXPORTS": "5/minute"}
    show = ("from django.conf import settings as s; "
            "print(s.AXES_FAILURE_LIMIT, s.AXES_COOLOFF_TIME.total_seconds(), "
            "s.REST_FRAMEWORK['DEFAULT_THROTTLE_RATES']['exports'], s.SECURE_PROXY_SSL_HEADER, "
            "s.SESSION_COOKIE_SECURE)")

    result = manage("shell", "-c", show, env=env)

    assert result.stdout.split("\n")[-2] == "7 1800.0 5/minute ('HTTP_X_FORWARDED_PROTO', 'https') True", result.stderr
