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
    if task.app.conf.task_always_eager:
        task.delay(*args, **kwargs)
        return True
    try:
        task.delay(*args, **kwargs)
    except Exception:  # broker boundary: kombu's OperationalError, a refused socket, a timeout, ...
        logger.warning("Could not send %s%r to the broker; the sweep will send it again", task.name, args,
                       exc_info=True)
        return False
    return True
