"""Sign-in answers: time of a wrong password for a known name vs an unknown name, of a throttled refusal
and of a right password (prints figures, asserts nothing).

The same answer for a known and an unknown name is not enough: their *time* must not tell them apart
either (the unknown name costs one Argon2 check of a dummy hash). Runs ``POST /auth/token`` in-process
(FastAPI TestClient) on SQLite in a temporary folder, ``--rounds`` times each (default 20), alternating.

    .venv/bin/python bench/sign_in.py [--rounds N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "service"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=20)
    rounds = parser.parse_args().rounds

    from fastapi.testclient import TestClient
    from service_helpers import make_settings, make_user

    from inclusio.server import create_app

    tmp = Path(tempfile.mkdtemp(prefix="inclusio-bench-signin-"))
    # no throttling for the comparison (each name gets a fresh record below)
    settings = make_settings(
        tmp,
        signin_free_failures=10_000,
        signin_lock_failures=10_000,
        signin_address_free_failures=10_000,
        signin_address_lock_failures=10_000,
    )
    client = TestClient(create_app(settings, enqueue=lambda _kind, _job: None))
    password = "mot-de-passe-1"
    make_user(settings, "student", username="known", password=password)
    times: dict[str, list[float]] = {
        "wrong password, known name": [],
        "wrong password, unknown name": [],
        "right password": [],
    }

    def timed(label: str, username: str, secret: str, expected: int) -> None:
        started = time.perf_counter()
        answer = client.post("/auth/token", data={"username": username, "password": secret})
        times.setdefault(label, []).append(time.perf_counter() - started)
        assert answer.status_code == expected, answer.text

    for n in range(rounds):
        timed("wrong password, known name", "known", f"wrong-{n}", 401)
        # the same name each round, as for the known one (a name's first attempt also makes its record)
        timed("wrong password, unknown name", "nobody", f"wrong-{n}", 401)
        timed("right password", "known", password, 200)
    # throttled: a name past its free failures, asked again at once
    slow = make_settings(
        tmp,
        signin_free_failures=1,
        signin_delay_s=60,
        signin_max_delay_s=60,
        signin_address_free_failures=10_000,
        signin_address_lock_failures=10_000,
    )
    throttled = TestClient(create_app(slow, enqueue=lambda _kind, _job: None))
    throttled.post("/auth/token", data={"username": "target", "password": "x"})
    for _ in range(rounds):
        started = time.perf_counter()
        answer = throttled.post("/auth/token", data={"username": "target", "password": "x"})
        times.setdefault("throttled (no password check)", []).append(time.perf_counter() - started)
        assert answer.status_code == 429, answer.text

    print(f"{'answer':<34} {'median ms':>10} {'p90 ms':>8}   ({rounds} each)")
    for label, values in times.items():
        values.sort()
        print(
            f"{label:<34} {statistics.median(values) * 1000:10.1f} {values[int(len(values) * 0.9) - 1] * 1000:8.1f}"
        )
    known = statistics.median(times["wrong password, known name"])
    unknown = statistics.median(times["wrong password, unknown name"])
    print(f"unknown / known median: {unknown / known:.2f}")


if __name__ == "__main__":
    main()
