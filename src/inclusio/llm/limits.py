"""Rate limits (requests and tokens per minute) as token buckets, shared by a job's threads.

Each bucket holds at most ten seconds' worth of its per-minute rate, so a job starts at once
but never bursts a whole minute's quota into one second. A request asks for one request token
and its estimated prompt tokens; a request bigger than the token bucket is let through when
the bucket is full (it would never fit otherwise).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

BURST_SECONDS = 10.0


class _Bucket:
    def __init__(self, per_minute: float, now: float) -> None:
        self.rate = per_minute / 60.0
        self.capacity = max(1.0, self.rate * BURST_SECONDS)
        self.level = self.capacity
        self.stamp = now

    def refill(self, now: float) -> None:
        self.level = min(self.capacity, self.level + (now - self.stamp) * self.rate)
        self.stamp = now

    def wait_for(self, amount: float) -> float:
        """Seconds until ``amount`` (capped at capacity) is available."""
        need = min(amount, self.capacity) - self.level
        return 0.0 if need <= 0 else need / self.rate


class RateLimiter:
    """Requests-per-minute and tokens-per-minute limits for one backend (thread-safe)."""

    def __init__(
        self,
        requests_per_minute: float,
        tokens_per_minute: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._clock, self._sleep = clock, sleep
        now = clock()
        self._requests = _Bucket(requests_per_minute, now)
        self._tokens = _Bucket(tokens_per_minute, now)
        self._lock = threading.Lock()

    def acquire(self, tokens: int) -> float:
        """Block until one request of ``tokens`` estimated tokens may go; returns the seconds waited."""
        waited = 0.0
        while True:
            with self._lock:
                now = self._clock()
                self._requests.refill(now)
                self._tokens.refill(now)
                wait = max(self._requests.wait_for(1), self._tokens.wait_for(tokens))
                if wait <= 0:
                    self._requests.level -= 1
                    self._tokens.level -= min(tokens, self._tokens.capacity)
                    return waited
            self._sleep(wait)
            waited += wait

    def settle(self, estimated: int, actual: int) -> None:
        """Correct the token bucket once the server has said how many tokens a call really used."""
        with self._lock:
            self._tokens.level = min(self._tokens.capacity, self._tokens.level + estimated - actual)
