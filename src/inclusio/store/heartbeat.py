"""A heartbeat thread: stamps a job row while work runs, so the watchdog can tell it is alive.

Used by the worker while it runs a job (:meth:`JobStore.heartbeat`) and while it renders a release
(:meth:`JobStore.beat_release`): stages can be silent for minutes (speech synthesis of a long book).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

log = logging.getLogger("inclusio.worker")


def heartbeat_interval(settings: Any) -> float:
    """A beat several times per watchdog timeout (``job_stuck_seconds``), between 0.2 and 30 seconds."""
    return max(0.2, min(30.0, settings.job_stuck_seconds / 6))


class Heartbeat:
    """Calls ``beat()`` every ``interval`` seconds in a daemon thread while the ``with`` block runs.

    ``beat`` returns ``False`` when the work lost its claim (superseded, deleted, lease taken): the
    thread then stops and logs ``lost``. A beat that raises (database away) is retried at the next one.
    """

    def __init__(self, beat: Callable[[], bool], *, interval: float, name: str, lost: str) -> None:
        self._beat, self._interval, self._name, self._lost = beat, interval, name, lost
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            try:
                if not self._beat():
                    log.warning("%s: %s", self._name, self._lost)
                    return
            except Exception:  # noqa: BLE001 - a missed beat is retried at the next one
                log.warning("%s: heartbeat failed", self._name, exc_info=True)

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join(5)
