"""WSGI entry point (gunicorn newsroom.wsgi).

Once the application is loaded (settings, models, and the URLconf with every view it imports),
its objects are moved out of the garbage collector's reach (``gc.freeze``): they live as long
as the process, yet a full collection would walk all of them, a quarter of a million, and one
came every few requests of a page that builds many rows (the review list), adding 50-300 ms to
that request. Frozen, a full collection walks only what requests made since.
"""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
application = get_wsgi_application()


def _freeze_loaded_objects() -> None:
    get_resolver().url_patterns  # imports the URLconf and the views now rather than at the first request
    gc.collect()
    gc.freeze()


_freeze_loaded_objects()
