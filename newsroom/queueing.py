"""Sending Celery messages without letting a broker outage break the caller.

Every job is a database row first; the message only tells a worker to look at it. When the
broker is unreachable the row stays committed, the caller reports ``queued: false``, and a
periodic sweep sends the message again once the broker is back.
"""

import logging

logger = logging.getLogger(__name__)


def enqueue(task, *args, **kwargs) -> bool:
    """``task.delay(*args, **kwargs)``; False (logged, not raised) if the message could not be sent.

    In eager mode the task runs here, and its own errors propagate as they would in a test.
    """
    return _send(task, args, lambda: task.delay(*args, **kwargs))


def enqueue_after(task, *args, countdown: float) -> bool:
    """``enqueue``, for a worker to run ``countdown`` seconds from now (at once in eager mode): a
    job that sums up many writes waits for them to settle."""
    return _send(task, args, lambda: task.apply_async(args, countdown=countdown))


def _send(task, args, send) -> bool:
    if task.app.conf.task_always_eager:
        send()
        return True
    try:
        send()
    except Exception:  # broker boundary: kombu's OperationalError, a refused socket, a timeout, ...
        logger.warning("Could not send %s%r to the broker; the sweep will send it again", task.name, args,
                       exc_info=True)
        return False
    return True
