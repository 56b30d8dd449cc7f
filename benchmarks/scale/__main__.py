import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
django.setup()

from benchmarks.scale.run import main  # noqa: E402

if __name__ == "__main__":
    raise SystemExit(main())
