"""Bounds on one training inside a worker process, so that a training too big for the machine fails
cleanly (its version marked failed, with the reason) instead of taking the worker or the host
down, and so that it leaves the CPU to pre-annotation and imports when they need it.

- memory: within ``memory_limit(mb)``, the process may grow its address space (RLIMIT_AS) by at
  most ``mb`` MB; an allocation beyond fails, raised as TrainingOutOfMemory. The limit is lifted
  afterwards. (Native code that loops instead of failing when memory runs out, as scipy's
  L-BFGS-B can, is stopped by the task's time limit instead.)
- threads: ``thread_limit(n)`` caps the BLAS / OpenMP thread pools during the training.
- priority: ``lower_priority(niceness)`` makes the calling worker process nicer, once (an
  unprivileged process cannot undo it, so only a worker that runs trainings asks for it).

``failure_reason`` turns the errors these limits (and the task's time limit) raise into the
sentence a manager reads on the version.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import os
import resource
from collections.abc import Iterator

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings

logger = logging.getLogger(__name__)
MB = 1024 * 1024
# What the learners import on use (scikit-learn and what it maps): loaded before the limit is set.
PRELOADED_LIBRARIES = ("numpy", "scipy.sparse", "sklearn.linear_model", "sklearn.feature_extraction.text")
# How libraries word a failure to get memory when they do not raise MemoryError.
OUT_OF_MEMORY_SIGNS = ("out of memory", "cannot allocate memory", "failed to map segment", "can't start new thread")


def _address_space() -> int | None:
    """Bytes of address space the process has now (VmSize), or None where /proc does not tell."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


class TrainingOutOfMemory(MemoryError):
    """A training needed more than its memory limit."""


@contextlib.contextmanager
def memory_limit(max_mb: int) -> Iterator[None]:
    """Within the block, at most ``max_mb`` MB more address space than at its start (0: no limit);
    a failure to get memory there raises TrainingOutOfMemory. The learners' libraries are loaded
    first, so the limit bounds the training's data, not the code every training maps.
    Where the platform cannot tell the current size, no limit is set (logged)."""
    current = _address_space() if max_mb else None
    if current is None:
        if max_mb:
            logger.warning("No memory limit on this training: the process size is unknown on this platform.")
        yield
        return
    for library in PRELOADED_LIBRARIES:
        importlib.import_module(library)
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = _address_space() + max_mb * MB
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    try:
        yield
    except Exception as exc:
        if _out_of_memory(exc):
            raise TrainingOutOfMemory(f"over {max_mb} MB") from exc
        raise
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _out_of_memory(exc: BaseException | None) -> bool:
    """A MemoryError, or an error that says memory could not be had (a library that could not be
    mapped, a thread whose stack could not be), here or in what caused it."""
    while exc is not None:
        message = str(exc).lower()
        if isinstance(exc, MemoryError) or any(sign in message for sign in OUT_OF_MEMORY_SIGNS):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


@contextlib.contextmanager
def thread_limit(threads: int) -> Iterator[None]:
    """Within the block, BLAS and OpenMP pools use at most ``threads`` threads (0: as they are)."""
    if not threads:
        yield
        return
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=threads):
        yield


_lowered = False


def lower_priority(niceness: int) -> None:
    """Add ``niceness`` to this process's nice value, the first time only (0: leave it)."""
    global _lowered
    if _lowered or not niceness:
        return
    os.nice(niceness)
    _lowered = True


def failure_reason(exc: BaseException) -> str:
    """What a manager reads on a failed version: the limit it hit, and the setting that sets it."""
    if isinstance(exc, MemoryError):
        return (f"Training ran out of memory: it may use at most {settings.MODEL_TRAINING_MAX_MEMORY_MB} MB "
                "(MODEL_TRAINING_MAX_MEMORY_MB). Train on less gold (train_limit) or raise the limit.")
    if isinstance(exc, SoftTimeLimitExceeded):
        return (f"Training took longer than {settings.MODEL_TRAINING_SOFT_TIME_LIMIT} s "
                "(MODEL_TRAINING_SOFT_TIME_LIMIT) and was stopped.")
    return str(exc)[:5000] or type(exc).__name__
