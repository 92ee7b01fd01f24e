"""A cache of model answers, so a re-run or a second learner with the same settings costs no call.

One SQLite file (default ``<data_dir>/llm-cache.sqlite3``): a single file is easy to back up,
to delete with everything derived from a document, and safe for several worker processes on
one host (WAL mode, busy timeout). A folder of JSON files would need its own locking.

The key (:func:`cache_key`) is a SHA-256 over everything that can change an answer: the pass,
the prompt version, the model, the block's content (with the context the prompt shows: section
title, course title) and the profile settings that matter to the pass (level, sentence limit,
target language...). Settings that do not change the answer (fonts, speech rate) are left out,
so a dyslexia and a low-vision learner share the alt texts. The value is the validated answer
for one block (JSON), never a raw HTTP body.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

CACHE_FILENAME = "llm-cache.sqlite3"


def cache_key(
    *, pass_name: str, prompt_version: str, model: str, content: Any, settings: dict[str, Any] | None = None
) -> str:
    """The cache key of one unit of work (see the module doc for what goes in)."""
    material = json.dumps(
        {
            "pass": pass_name,
            "prompt": prompt_version,
            "model": model,
            "content": content,
            "settings": settings or {},
        },
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


class LLMCache:
    """Answers by key, in one SQLite file (thread-safe; one connection guarded by a lock)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(path), timeout=30, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS answers (key TEXT PRIMARY KEY, pass TEXT NOT NULL, model TEXT NOT NULL, "
            "prompt_version TEXT NOT NULL, created_at TEXT NOT NULL, value TEXT NOT NULL)"
        )

    @classmethod
    def in_data_dir(cls, data_dir: Path) -> LLMCache:
        return cls(data_dir / CACHE_FILENAME)

    def get(self, key: str) -> Any | None:
        with self._lock:
            row = self._db.execute("SELECT value FROM answers WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else None

    def put(self, key: str, value: Any, *, pass_name: str, model: str, prompt_version: str) -> None:
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        stamp = datetime.now(UTC).isoformat(timespec="seconds")
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO answers VALUES (?, ?, ?, ?, ?, ?)",
                (key, pass_name, model, prompt_version, stamp, text),
            )

    def __len__(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT COUNT(*) FROM answers").fetchone()[0])

    def clear(self, pass_name: str | None = None) -> int:
        """Delete every answer (or one pass's); returns how many were deleted."""
        with self._lock:
            if pass_name is None:
                cur = self._db.execute("DELETE FROM answers")
            else:
                cur = self._db.execute("DELETE FROM answers WHERE pass = ?", (pass_name,))
            return cur.rowcount

    def close(self) -> None:
        with self._lock:
            self._db.close()
