"""Facts changed: how a capture domain tells the layers above it, without importing them.

Attendance and assessment call `changed(...)` inside their save's transaction; insights registers what to
recount when its app starts (`InsightsConfig.ready`). Imports then point down the layers, and a recount that
fails is logged, never the teacher's problem: each listener runs in its own savepoint, so the save commits.
"""

import logging
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.db import transaction

logger = logging.getLogger(__name__)

REGISTER = "attendance.register"  # a register's marks changed; the listener gets the Register
COURSE = "assessment.course"  # a course's results changed; the listener gets the Course

Listener = Callable[[Any], None]
_listeners: dict[str, list[Listener]] = defaultdict(list)


def listen(event: str, listener: Listener) -> None:
    if listener not in _listeners[event]:
        _listeners[event].append(listener)


def changed(event: str, obj: Any) -> None:
    """Tell the listeners of `event` that `obj` changed; call it inside the write's transaction."""
    for listener in _listeners[event]:
        try:
            with transaction.atomic():
                listener(obj)
        except Exception:
            logger.exception("%s listener %s failed for %r; the save stands", event, listener.__name__, obj)
