"""What a web process loads: the application and every view, but none of the heavy libraries
that only training, pre-annotation or an agreement report needs. Each of them costs a web
worker and the export process 50-200 MB of memory they never use (scikit-learn alone brings
SciPy and pandas, ~160 MB), so they are imported where they are used."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("sklearn", "scipy", "pandas", "pyarrow", "spacy", "thinc", "torch", "datasets")
PROBE = f"""
import json, sys
import django
django.setup()
from django.urls import get_resolver
get_resolver().url_patterns  # every view, as the WSGI application loads them
import annotations.services, annotations.datasets.exports, ingest.services  # noqa: F401
print(json.dumps(sorted({{name.split('.')[0] for name in sys.modules}} & set({HEAVY!r}))))
"""


def test_the_web_application_loads_no_heavy_library():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "newsroom.settings"}
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []
