"""Prompts are versioned files in ``inclusio/llm/prompts/`` (``<name>.md``).

Each file starts with a front-matter line ``version: <name>-<n>``; the rest is the system
prompt. The version goes into provenance and into cache keys, so editing a prompt without
bumping its version would serve stale cached answers: a test checks every file has one.
Prompts never contain document text: the document goes in the user message as JSON data
between ``<<<DATA`` and ``DATA>>>`` (see :func:`data_message`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

DATA_OPEN = "<<<DATA"
DATA_CLOSE = "DATA>>>"


@dataclass(frozen=True)
class Prompt:
    name: str
    version: str
    text: str


@cache
def load_prompt(name: str) -> Prompt:
    """The prompt ``name`` (file ``prompts/<name>.md``) and its version."""
    raw = resources.files("inclusio.llm").joinpath("prompts", f"{name}.md").read_text(encoding="utf-8")
    match = re.match(r"version:\s*(\S+)\s*\n", raw)
    if not match:
        raise ValueError(f"prompt {name}: the first line must be 'version: {name}-<n>'")
    return Prompt(name=name, version=match.group(1), text=raw[match.end() :].strip())


def prompt_names() -> list[str]:
    folder = resources.files("inclusio.llm").joinpath("prompts")
    return sorted(p.name[:-3] for p in folder.iterdir() if p.name.endswith(".md"))


def data_message(task: dict[str, Any], data: Any) -> str:
    """The user message: a short task line (settings, never document text) and the data, as JSON.

    JSON escaping means no text inside the document can close the data section or pass for a
    new instruction: quotes and newlines come out as ``\\"`` and ``\\n``. The closing marker is
    also escaped inside strings, in case a document quotes it.
    """
    payload = _neutralise(json.dumps(data, ensure_ascii=False, separators=(",", ":")))
    return f"TASK {json.dumps(task, ensure_ascii=False, separators=(',', ':'))}\n{DATA_OPEN}\n{payload}\n{DATA_CLOSE}"


def _neutralise(payload: str) -> str:
    """Both markers escaped inside JSON strings: a document quoting them cannot open or close DATA."""
    return payload.replace(DATA_CLOSE, "DATA\\u003e\\u003e\\u003e").replace(
        DATA_OPEN, "\\u003c\\u003c\\u003cDATA"
    )


def repair_message(user: str, findings: dict[str, str]) -> str:
    """``user`` (a :func:`data_message`) followed by why the previous answer was refused, per id.

    The findings quote facts of the document and of the refused answer: they go as JSON after the
    DATA section, markers neutralised, never into the system prompt.
    """
    refused = _neutralise(json.dumps(findings, ensure_ascii=False, separators=(",", ":")))
    return (
        f"{user}\nREFUSED Your previous answer was refused for these ids. Answer again for them, fixing "
        f"exactly these problems and staying faithful to DATA: {refused}"
    )
