"""The CPU clock the ingest benchmark reads dedupe costs with: this thread's time and the time of
the PostgreSQL server process serving the connection."""

import math
import time

import pytest
from django.db import connection

from benchmarks.ingest import cpu_seconds

pytestmark = pytest.mark.django_db


def server_work() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM generate_series(1, 2000000)")
        cursor.fetchone()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="reads the PostgreSQL server process's CPU time")
def test_cpu_seconds_counts_the_servers_work_which_this_threads_clock_does_not():
    server_work()  # the connection is open from here on
    own, both = time.thread_time(), cpu_seconds()
    server_work()
    own, both = time.thread_time() - own, cpu_seconds() - both
    assert not math.isnan(both)
    # The query's work is the server's: it shows in cpu_seconds, not in this thread's clock.
    assert both > own and both - own > 0.01

