"""Newsroom settings, read from the environment.

The defaults are a laptop with nothing installed: SQLite under ``var/`` and Celery
in eager mode. Production sets DATABASE_URL, CELERY_BROKER_URL, SECRET_KEY and
DEBUG=false; ``manage.py check --deploy`` then refuses the embedded defaults
(see ``newsroom/checks.py``). ``.env.example`` lists every variable.
"""

from pathlib import Path

import environ
from kombu import Exchange, Queue

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()

# Everything the running product writes (SQLite file, uploads, static files) lives here.
VAR_DIR = Path(env("NEWSROOM_VAR_DIR", default=str(BASE_DIR / "var")))

DEV_SECRET_KEY = "newsroom-dev-secret-key-do-not-use-in-production"
SECRET_KEY = env("SECRET_KEY", default=DEV_SECRET_KEY)
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "newsroom",
    "ingest",
    "annotations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "newsroom" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# An empty DATABASE_URL counts as unset, so `DATABASE_URL= make demo` still gets SQLite.
DATABASES = {
    "default": env.db_url_config(env.str("DATABASE_URL", default="") or f"sqlite:///{VAR_DIR / 'newsroom.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = env("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(VAR_DIR / "media")))
# Shared files (uploads, release files, model versions) go through Django's storage API only, so an
# object store can hold them instead of MEDIA_ROOT: web and workers on several hosts then share
# them without a shared disk. STORAGE_BACKEND names the class, STORAGE_OPTIONS (JSON) its keyword
# arguments, e.g. django-storages' S3 (README "Deployment"); the default is the local MEDIA_ROOT.
STORAGES = {
    "default": {"BACKEND": env("STORAGE_BACKEND", default="django.core.files.storage.FileSystemStorage"),
                "OPTIONS": env.json("STORAGE_OPTIONS", default={})},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Uploads bigger than this go to a temporary file instead of memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# A whole import upload may be large (zip archives of many articles).
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=200 * 1024 * 1024)

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "pages:home"
LOGOUT_REDIRECT_URL = "login"

# --- Celery -----------------------------------------------------------------
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
# No broker configured: run tasks in-process, so the embedded default needs no Redis.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not CELERY_BROKER_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=None)
CELERY_TASK_ACKS_LATE = False  # opted into per task, only where the task is idempotent
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=30 * 60)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=35 * 60)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# The queue tasks are sent to (and a worker started without -Q reads); tasks that workers send,
# such as pre-annotation after an import, go there too.
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="celery")
# One queue per kind of work, so that each kind has workers of its own, on hosts of its own, and
# none waits behind another: imports, pre-annotation (CPU-bound model work: the one to scale out),
# trainings, release builds. Sweeps and other short periodic tasks stay on the default queue.
# A worker started without -Q serves every queue (`make worker`, the demo's worker); `-Q` names
# the ones a worker serves (README "Deployment"). Every task of the project is routed here:
# tests/newsroom/test_queues.py fails for a task left out.
INGEST_QUEUE = env("INGEST_QUEUE", default="ingest")
PREANNOTATION_QUEUE = env("PREANNOTATION_QUEUE", default="preannotate")
MODEL_TRAINING_QUEUE = env("MODEL_TRAINING_QUEUE", default="training")
EXPORT_QUEUE = env("EXPORT_QUEUE", default="export")
NEWSROOM_TASK_QUEUES = {
    "ingest.import_batch_run": INGEST_QUEUE,
    # An import's search vectors: built after it, by the workers that import.
    "ingest.import_batch_search_build": INGEST_QUEUE,
    "annotations.preannotate_batch": PREANNOTATION_QUEUE,
    "annotations.model_version_train": MODEL_TRAINING_QUEUE,
    "annotations.release_build": EXPORT_QUEUE,
    # A project's agreement report: like a release, a long read of every label, off the web.
    "annotations.project_agreement_refresh": EXPORT_QUEUE,
    # Short, periodic, database-only: any worker of the default queue.
    "ingest.import_batches_sweep": CELERY_TASK_DEFAULT_QUEUE,
    "ingest.search_vectors_sweep": CELERY_TASK_DEFAULT_QUEUE,
    "annotations.releases_sweep": CELERY_TASK_DEFAULT_QUEUE,
    "annotations.assignments_expire": CELERY_TASK_DEFAULT_QUEUE,
    "annotations.preannotation_sweep": CELERY_TASK_DEFAULT_QUEUE,
    "annotations.model_versions_due": CELERY_TASK_DEFAULT_QUEUE,
    "annotations.model_versions_sweep": CELERY_TASK_DEFAULT_QUEUE,
    "annotations.project_agreements_sweep": CELERY_TASK_DEFAULT_QUEUE,
}
CELERY_TASK_ROUTES = {name: {"queue": queue} for name, queue in NEWSROOM_TASK_QUEUES.items()}
# Each queue with its own direct exchange and routing key, as Celery makes a queue it was not told
# of: a bare Queue(name) would be bound to the default exchange with the default routing key.
CELERY_TASK_QUEUES = [Queue(name, Exchange(name), routing_key=name)
                      for name in dict.fromkeys([CELERY_TASK_DEFAULT_QUEUE, *NEWSROOM_TASK_QUEUES.values()])]
# Periodic sweeps run by `celery -A newsroom beat`.
CELERY_BEAT_SCHEDULE = {
    "expire-assignment-leases": {"task": "annotations.assignments_expire", "schedule": 60.0},
    "preannotation-sweep": {"task": "annotations.preannotation_sweep",
                            "schedule": env.float("PREANNOTATION_SWEEP_SECONDS", default=300.0)},
    # Imports and releases whose message never reached a worker, or whose worker died.
    "import-batches-sweep": {"task": "ingest.import_batches_sweep",
                             "schedule": env.float("INGEST_SWEEP_SECONDS", default=60.0)},
    # Search vectors of articles whose build job never reached a worker.
    "search-vectors-sweep": {"task": "ingest.search_vectors_sweep",
                             "schedule": env.float("SEARCH_SWEEP_SECONDS", default=300.0)},
    "releases-sweep": {"task": "annotations.releases_sweep",
                       "schedule": env.float("RELEASE_SWEEP_SECONDS", default=120.0)},
    # New versions of kinds with enough new gold, and trainings whose message or worker was lost.
    "model-versions-due": {"task": "annotations.model_versions_due",
                           "schedule": env.float("MODEL_RETRAIN_SECONDS", default=3600.0)},
    "model-versions-sweep": {"task": "annotations.model_versions_sweep",
                             "schedule": env.float("MODEL_TRAINING_SWEEP_SECONDS", default=300.0)},
    # Agreement reports whose refresh message was lost, or whose worker died.
    "agreement-reports-sweep": {"task": "annotations.project_agreements_sweep",
                                "schedule": env.float("AGREEMENT_SWEEP_SECONDS", default=300.0)},
}
# --- Agreement reports (annotations.agreement.reports) ----------------------------
# Seconds a refresh waits after the first label change it covers: the changes of the next
# moments (fifty annotators submitting) share one refresh instead of queueing one each.
AGREEMENT_REFRESH_DELAY = env.float("AGREEMENT_REFRESH_DELAY", default=60.0)
# A refresh over every current annotation of a big project takes a while; past this it is stopped.
AGREEMENT_REFRESH_TIME_LIMIT = env.int("AGREEMENT_REFRESH_TIME_LIMIT", default=15 * 60)
# A report stale this long past its delay lost its message; a refresh running this long lost
# its worker (beyond the time limit): the sweep sends it again.
AGREEMENT_REQUEUE_AFTER = env.int("AGREEMENT_REQUEUE_AFTER", default=20 * 60)

# --- Pre-annotation -------------------------------------------------------------
# The predictor kinds this installation offers; a project chooses among them (ProjectPredictor).
NEWSROOM_PREDICTORS = {
    "spacy-ner": "annotations.preannotation.predictors.spacy_ner.SpacyEntityPredictor",
    "vader-sentiment": "annotations.preannotation.predictors.sentiment.VaderSentimentPredictor",
    "topics": "annotations.preannotation.predictors.topics.TopicSimilarityPredictor",
    "http": "annotations.preannotation.predictors.http.HttpPredictor",
    "gazetteer": "annotations.preannotation.predictors.gazetteer.GazetteerPredictor",
    # A project's live trained version (annotations.preannotation.learning).
    "project-sentiment": "annotations.preannotation.learning.serving.ProjectSentimentPredictor",
    "project-ner": "annotations.preannotation.learning.serving.ProjectNerPredictor",
}
# Entity predictors whose sentiment toward each entity comes from the project's live
# entity-sentiment version when it has one (the project-entity-sentiment kind), not sentence VADER.
NEWSROOM_ENTITY_SENTIMENT_PREDICTORS = env.list("NEWSROOM_ENTITY_SENTIMENT_PREDICTORS",
                                                default=["spacy-ner", "project-ner"])
PREANNOTATION_BATCH_SIZE = env.int("PREANNOTATION_BATCH_SIZE", default=32)
PREANNOTATION_MAX_ATTEMPTS = env.int("PREANNOTATION_MAX_ATTEMPTS", default=3)
PREANNOTATION_STALE_AFTER = env.int("PREANNOTATION_STALE_AFTER", default=15 * 60)
PREANNOTATION_SOFT_TIME_LIMIT = env.int("PREANNOTATION_SOFT_TIME_LIMIT", default=10 * 60)
# A release still pending this long after creation lost its message (or the broker was down):
# the sweep sends its build again (a duplicate finds it claimed and does nothing).
RELEASE_REQUEUE_AFTER = env.int("RELEASE_REQUEUE_AFTER", default=10 * 60)

# --- Models that learn from a project's gold (annotations.preannotation.learning) -----------
# Over the soft time limit a training is stopped and its version marked failed (killed a minute later).
# Celery sends a task's time limits in its message, from the sender's settings: give web, beat and
# workers the same value.
MODEL_TRAINING_SOFT_TIME_LIMIT = env.int("MODEL_TRAINING_SOFT_TIME_LIMIT", default=20 * 60)
# Address space a training may add to its worker process; beyond it the version fails with
# "out of memory" instead of the host swapping or the kernel killing the worker (0: no limit).
MODEL_TRAINING_MAX_MEMORY_MB = env.int("MODEL_TRAINING_MAX_MEMORY_MB", default=4096)
# BLAS/OpenMP threads of a training, and the niceness a worker process takes at its first
# training: pre-annotation and imports on the same cores come first.
MODEL_TRAINING_THREADS = env.int("MODEL_TRAINING_THREADS", default=1)
MODEL_TRAINING_NICE = env.int("MODEL_TRAINING_NICE", default=10)
# Beat starts a version of a kind once this many train-side gold items are new since its last one.
MODEL_RETRAIN_MIN_NEW_GOLD = env.int("MODEL_RETRAIN_MIN_NEW_GOLD", default=25)
# A training past its hard time limit lost its worker: the sweep hands it back to pending.
MODEL_TRAINING_STALE_AFTER = env.int("MODEL_TRAINING_STALE_AFTER", default=MODEL_TRAINING_SOFT_TIME_LIMIT + 10 * 60)
# A pending version no worker claimed this long after creation lost its message.
MODEL_TRAINING_REQUEUE_AFTER = env.int("MODEL_TRAINING_REQUEUE_AFTER", default=10 * 60)
# Starts of one version before it is marked failed (a training that kills its worker every time).
MODEL_TRAINING_MAX_ATTEMPTS = env.int("MODEL_TRAINING_MAX_ATTEMPTS", default=3)

# --- API ----------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "newsroom.api.pagination.KeysetPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "newsroom.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "newsroom.api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Newsroom API",
    "DESCRIPTION": "Import news articles, label them, review gold and export datasets.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Import batches and releases share one job status; name it once in the schema. Two
    # "origin" fields mean different things: where a label came from, and how gold was made.
    "ENUM_NAME_OVERRIDES": {"JobStatusEnum": "ingest.models.ImportBatch.Status",
                            "LabelOriginEnum": "annotations.models.LabelOrigin",
                            "GoldOriginEnum": "annotations.models.Gold.Origin",
                            "ItemStatusEnum": "annotations.models.Item.Status",
                            "GoldStatusEnum": "annotations.models.Gold.Status",
                            "RoleEnum": "annotations.models.Membership.Role",
                            # Two fields named "kind": the kind of a rejected suggestion, and of a model.
                            "KindEnum": ["span", "entity_sentiment", "sentiment", "topic"],
                            "ModelKindEnum": "annotations.preannotation.learning.kinds.KIND_CHOICES"},
}

# --- Ingest -------------------------------------------------------------------
# Uploads up to this size are imported inside the request; bigger ones by a Celery task.
INGEST_SYNC_MAX_BYTES = env.int("INGEST_SYNC_MAX_BYTES", default=1024 * 1024)
# Articles written per transaction: big chunks amortise the story look-up (benchmarks/README.md),
# small enough to report progress often.
INGEST_CHUNK_SIZE = env.int("INGEST_CHUNK_SIZE", default=2000)
# ... and at most this much text per chunk: a chunk of big articles (1 MB members of a zip) is
# cut early, so that a worker's memory stays bounded whatever the upload (benchmarks/README.md).
INGEST_CHUNK_MAX_BYTES = env.int("INGEST_CHUNK_MAX_BYTES", default=32 * 1024 * 1024)
# A running import that committed no chunk for this long lost its worker: the sweep hands it to
# another, which resumes after the last committed chunk. Far above the time one chunk takes.
INGEST_STALE_AFTER = env.int("INGEST_STALE_AFTER", default=10 * 60)
# A pending import no worker has claimed this long after it was enqueued lost its message.
INGEST_REQUEUE_AFTER = env.int("INGEST_REQUEUE_AFTER", default=30 * 60)
# Runs of one batch before it is marked failed (a batch that kills its worker every time).
INGEST_MAX_ATTEMPTS = env.int("INGEST_MAX_ATTEMPTS", default=5)
# Tries of one chunk whose database connection failed, with back-off in between.
INGEST_CHUNK_DB_RETRIES = env.int("INGEST_CHUNK_DB_RETRIES", default=5)
# Articles whose search vectors are built per transaction by the job that follows an import.
SEARCH_BUILD_CHUNK = env.int("SEARCH_BUILD_CHUNK", default=2000)
# A bulk write (an import, articles added to a project) of at least this many rows analyzes the
# tables it filled (PostgreSQL), instead of leaving the planner to old row counts until
# autovacuum comes by; below it, autovacuum's own threshold is near.
DB_ANALYZE_MIN_ROWS = env.int("DB_ANALYZE_MIN_ROWS", default=1000)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}

# --- Embedded default: SQLite that holds a team, a worker on a folder broker ------------------
# Without DATABASE_URL the database is one SQLite file. WAL lets readers go on while one
# connection writes; every transaction takes the write lock when it begins (IMMEDIATE), so a
# read-then-write never fails on a lock upgrade ("database is locked") but waits its turn, for
# up to SQLITE_BUSY_TIMEOUT seconds (longer than any write the product holds: one import chunk).
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Django's backend, but a process's transactions take turns (newsroom/db/sqlite3/base.py).
    DATABASES["default"]["ENGINE"] = "newsroom.db.sqlite3"
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        "transaction_mode": "IMMEDIATE",
        "timeout": env.float("SQLITE_BUSY_TIMEOUT", default=30.0),
    }
    # Each chunk holds the one write lock while it is stored: smaller chunks keep people's
    # submits from waiting long behind an import (benchmarks/README.md, benchmarks.upload).
    INGEST_CHUNK_SIZE = env.int("INGEST_CHUNK_SIZE", default=500)

# `manage.py demo` (what `make demo` runs) starts a Celery worker beside the web server and sets
# NEWSROOM_EMBEDDED_WORKER: with no CELERY_BROKER_URL, tasks then travel through files under
# var/broker/ instead of running inside the request (eager), so uploads and pre-annotation never
# hold a request. Off by default: without that worker, nothing would run the tasks.
NEWSROOM_EMBEDDED_WORKER = env.bool("NEWSROOM_EMBEDDED_WORKER", default=False)
BROKER_DIR = VAR_DIR / "broker"
if NEWSROOM_EMBEDDED_WORKER and not CELERY_BROKER_URL:
    CELERY_BROKER_URL = "filesystem://localhost/"
    CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # One folder both ways: the web and the worker put messages in and take them from it.
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "control_folder": str(BROKER_DIR / "control"),
        # Seconds between looks into an empty folder: a new upload starts within this.
        "polling_interval": 0.5,
    }

# --- Security: login lockout, API throttles, TLS, Content-Security-Policy -----------------
# One block, so that the rest of this module reads as before. Every value comes from the
# environment (.env.example); the defaults suit a laptop, a TLS deployment sets the TLS ones.
from datetime import timedelta  # noqa: E402

from csp.constants import NONCE, NONE, SELF  # noqa: E402

INSTALLED_APPS += ["axes", "csp"]
# Axes watches every authenticate() that has a request (the login page, also at /api/auth/login/,
# the admin's, the token endpoint) and refuses it while the username is locked out from that address.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
MIDDLEWARE += ["csp.middleware.CSPMiddleware", "axes.middleware.AxesMiddleware"]
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.float("AXES_COOLOFF_MINUTES", default=15))
# Username and address together: a guesser is stopped, and cannot lock a colleague out from
# elsewhere. The address is the connection's: behind one reverse proxy every request has the
# proxy's, and the lockout is per username.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Under /api/ a lockout answers the API's error envelope (429 with Retry-After).
AXES_LOCKOUT_CALLABLE = "newsroom.api.errors.lockout"

# The API answers JSON only: DRF's browsable pages run inline code the policy below refuses; the
# interactive documentation is Swagger UI at /api/docs/.
REST_FRAMEWORK["DEFAULT_RENDERER_CLASSES"] = ["rest_framework.renderers.JSONRenderer"]
# API throttles on what costs a worker or the database much: per user, counted in the cache.
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = {
    "exports": env("THROTTLE_EXPORTS", default="60/hour"),
    "releases": env("THROTTLE_RELEASES", default="30/hour"),
    "imports": env("THROTTLE_IMPORTS", default="120/hour"),
    "preannotation": env("THROTTLE_PREANNOTATION", default="30/hour"),
    "training": env("THROTTLE_TRAINING", default="30/hour"),
}
# Counters shared by every web process need a shared cache (redis://...); the default is per process.
_cache_url = env("CACHE_URL", default="")
CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _cache_url}
          if _cache_url else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# TLS: on in a deployment behind HTTPS (manage.py check --deploy then has nothing to say).
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=False)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=False)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
# "HTTP_X_FORWARDED_PROTO,https" behind a proxy that terminates TLS (and always sets that header).
SECURE_PROXY_SSL_HEADER = tuple(env.list("SECURE_PROXY_SSL_HEADER", default=[])) or None
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=14 * 24 * 3600)

# Content-Security-Policy: scripts and styles from our own files only (no inline code, no CDN).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, NONCE],  # a nonce only where a page asks for one (ReDoc's styles)
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "worker-src": [SELF, "blob:"],  # ReDoc parses the schema in a worker
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
