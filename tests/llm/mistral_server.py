"""A local server speaking Mistral's chat-completions and OCR HTTP API, for tests and the benchmark.

It listens on 127.0.0.1 on a free port, in a thread, and answers like a small, well-behaved
model would: it reads the DATA section of the user message (the JSON the prompts announce) and
returns realistic JSON for each pass (sentences for the easy-to-read rewrite, recorded
definitions for known glossary terms, key points, alt texts, translations, OCR text), with a
``usage`` block counted like :func:`inclusio.llm.tokens.estimate_tokens`.

Faults are chosen by the **model name** (tokens joined by ``+``), so the real SDK drives them
unchanged; counters are per model name, so ``flaky429-2`` fails twice then answers:

==================  ========================================================================
``slow-<ms>``       wait ``ms`` before answering
``flaky429-<n>``    the first ``n`` calls get 429 with ``Retry-After: 0.05`` (seconds)
``longwait429``     always 429 with ``Retry-After: 3600``
``flaky500-<n>``    the first ``n`` calls get 500
``hang-<n>``        the first ``n`` calls wait ``hang_s`` seconds (longer than the client timeout)
``badjson-<n>``     the first ``n`` answers are not JSON (``badjson`` alone: always)
``dropfacts``       the easy-to-read and translation answers drop the numbers of every block
``acronyms``        the easy-to-read answers write DATA's acronym meanings in brackets at each block's
                    first use of the acronym ("l'ADN (acide désoxyribonucléique)"), as the prompt asks
``inject``          a compromised model: obeys instructions found inside the document
``reject``          401 Unauthorized
``p_<kind>-<n>``    a perturbed answer (tests/llm/perturbations.py: ``p_number_one``, ``p_date_shift``,
                    ``p_entity_swap``, ``p_entity_drop``, ``p_invented_fig``, ``p_invented``,
                    ``p_instruction``, ``p_link``, ``p_untranslated``): every text of the first
                    ``n`` answers (``p_<kind>`` alone: every answer) changed that one way
==================  ========================================================================

``MistralServer.latency_s`` adds a delay to every call (the benchmark's model latency).
Every request is recorded in ``requests`` (path, model, parsed body, then the answer's status and
``usage``) for assertions; :meth:`MistralServer.tokens_billed` sums the usage sent back.
"""

from __future__ import annotations

import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from perturbations import perturb

from inclusio.llm.prompts import DATA_CLOSE, DATA_OPEN
from inclusio.llm.tokens import estimate_tokens

GLOSSARY = {
    "chlorophylle": ("Matière verte des feuilles qui capte la lumière du Soleil.", "chlorophyll"),
    "photosynthèse": ("Façon dont les plantes fabriquent leur nourriture avec la lumière.", "photosynthesis"),
    "chloroplaste": ("Petite partie de la cellule végétale où se fait la photosynthèse.", "chloroplast"),
    "stomate": ("Petit trou sous la feuille qui laisse entrer et sortir les gaz.", "stoma"),
    "dioxygène": ("Gaz de l'air que nous respirons.", "oxygen"),
}
INJECTION_MARKERS = ("ignore", "oublie", "disregard")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÀ-ÖØ-Ý0-9«\"])")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text.strip()) if s.strip()]


def _options(model: str) -> dict[str, int | None]:
    out: dict[str, int | None] = {}
    for token in model.split("+"):
        name, _, count = token.partition("-")
        out[name] = int(count) if count.isdigit() else None
    return out


def _data(user: str) -> tuple[dict[str, Any], Any]:
    task_line = user.split("\n", 1)[0]
    task = json.loads(task_line[5:]) if task_line.startswith("TASK ") else {}
    start, end = user.find(DATA_OPEN), user.rfind(DATA_CLOSE)
    data = json.loads(user[start + len(DATA_OPEN) : end]) if start >= 0 and end > start else {}
    return task, data


def _blocks(data: dict[str, Any]) -> list[dict[str, str]]:
    """Blocks of the DATA, whether sent as {id: text} mappings or as [{"id", "text"}] lists."""
    out: list[dict[str, str]] = []
    for section in data.get("sections", []):
        blocks = section["blocks"]
        out += [{"id": k, "text": v} for k, v in blocks.items()] if isinstance(blocks, dict) else blocks
    return out


def _glossed(text: str, glossary: dict[str, str]) -> str:
    """A translation uses the glossary's translations of its terms (DATA ``glossary``)."""
    for term, translation in glossary.items():
        text = re.sub(rf"(?i)\b{re.escape(term)}\b", translation, text)
    return text


def _words_upto(text: str, limit: int) -> str:
    """The first words of ``text`` within ``limit`` characters (a number is never cut in two)."""
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0]


def _perturbed(
    value: dict[str, Any], system: str, user: str, opts: dict[str, int | None], nth: int
) -> dict[str, Any]:
    """``value`` (a faithful answer) with each of its texts perturbed as a ``p_<kind>`` option asks."""
    kinds = [k[2:] for k, count in opts.items() if k.startswith("p_") and (count is None or nth <= count)]
    if not kinds:
        return value
    task, data = _data(user)
    lang = task.get("lang") or task.get("target") or "fr"
    glossary = data.get("glossary") or {}

    def change(text: str | None) -> str | None:
        for kind in kinds:
            if text:
                text = perturb(kind, text, lang, seed=nth, glossary=glossary) or text
        return text

    if system.startswith("You rewrite"):
        for block in value["blocks"]:
            lines = [
                line
                for part in block["parts"]
                for line in (part.get("text") or "", *(part.get("items") or []))
            ]
            new = (change("\n".join(lines)) or "").split("\n")
            if len(new) == len(lines):  # the same parts and items, one of them changed
                for part in block["parts"]:
                    part["text"] = new.pop(0)
                    part["items"] = [new.pop(0) for _ in part.get("items") or []]
    elif system.startswith("You translate"):
        for block in value["blocks"]:
            block["text"] = change(block["text"])
    elif system.startswith("You write the key points"):
        for section in value["sections"]:  # points may hold line breaks (a list): joined by blank lines
            section["points"] = (change("\n\n".join(section["points"])) or "").split("\n\n")
    elif system.startswith("You write a glossary"):
        for term in value["terms"]:
            term["definition"] = change(term["definition"])
    elif system.startswith("You describe one image") and not value.get("decorative"):
        value["alt"] = (change(value["alt"]) or "")[:240]
        value["long_description"] = change(value.get("long_description"))
    return value


def _injected(text: str) -> bool:
    return any(marker in text.lower() for marker in INJECTION_MARKERS)


class MistralServer:
    """``with MistralServer() as server: Settings(mistral_server_url=server.url, ...)``."""

    def __init__(self, *, latency_s: float = 0.0, hang_s: float = 3.0) -> None:
        self.latency_s = latency_s
        self.hang_s = hang_s
        self.requests: list[dict[str, Any]] = []
        self.ocr_text = (
            "Étapes de la photosynthèse :\n1. La lumière arrive.\n2. La plante fabrique du glucose."
        )
        self._counts: dict[str, int] = {}
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> MistralServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def calls(self, path: str = "/v1/chat/completions") -> list[dict[str, Any]]:
        with self._lock:
            return [r for r in self.requests if r["path"] == path]

    def tokens_billed(self) -> int:
        """Prompt + completion tokens of every answer sent so far (what a provider would bill)."""
        with self._lock:
            return sum(
                r["usage"]["prompt_tokens"] + r["usage"]["completion_tokens"]
                for r in self.requests
                if r.get("usage")
            )

    def reset(self) -> None:
        with self._lock:
            self.requests.clear()
            self._counts.clear()

    def _nth(self, model: str) -> int:
        with self._lock:
            self._counts[model] = self._counts.get(model, 0) + 1
            return self._counts[model]

    # -- answers ---------------------------------------------------------------------------------

    def answer(self, path: str, body: dict[str, Any]) -> tuple[int, dict[str, str], dict[str, Any]]:
        """(status, headers, JSON body) for one request."""
        model = str(body.get("model", ""))
        opts = _options(model)
        nth = self._nth(model)
        if "slow" in opts:
            time.sleep((opts["slow"] or 0) / 1000)
        if self.latency_s:
            time.sleep(self.latency_s)
        if "reject" in opts:
            return 401, {}, {"message": "Unauthorized", "request_id": "x"}
        if "longwait429" in opts:
            return 429, {"Retry-After": "3600"}, {"message": "Requests rate limit exceeded"}
        if "flaky429" in opts and nth <= (opts["flaky429"] or 0):
            return 429, {"Retry-After": "0.05"}, {"message": "Requests rate limit exceeded"}
        if "flaky500" in opts and nth <= (opts["flaky500"] or 0):
            return 500, {}, {"message": "Internal server error"}
        if "hang" in opts and nth <= (opts["hang"] or 0):
            time.sleep(self.hang_s)
        if path == "/v1/ocr":
            return 200, {}, self._ocr(model)
        messages = body.get("messages", [])
        system = next((m["content"] for m in messages if m["role"] == "system"), "")
        user_content = next((m["content"] for m in messages if m["role"] == "user"), "")
        user = (
            user_content
            if isinstance(user_content, str)
            else "".join(c.get("text", "") for c in user_content if c.get("type") == "text")
        )
        bad = "badjson" in opts and (opts["badjson"] is None or nth <= opts["badjson"])
        content = (
            "Voici la réponse : {blocks: ["
            if bad
            else json.dumps(
                _perturbed(self._content(system, user, opts), system, user, opts, nth), ensure_ascii=False
            )
        )
        prompt_tokens = sum(
            estimate_tokens(m["content"])
            if isinstance(m["content"], str)
            else sum(
                estimate_tokens(c.get("text", "")) + (1024 if c.get("type") == "image_url" else 0)
                for c in m["content"]
            )
            for m in messages
        )
        return (
            200,
            {},
            {
                "id": f"cmpl-{nth}",
                "object": "chat.completion",
                "model": model,
                "created": int(time.time()),
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": content},
                        "finish_reason": "stop",
                    }
                ],
                "usage": {
                    "prompt_tokens": prompt_tokens,
                    "completion_tokens": estimate_tokens(content),
                    "total_tokens": prompt_tokens + estimate_tokens(content),
                },
            },
        )

    def _content(self, system: str, user: str, opts: dict[str, int | None]) -> dict[str, Any]:
        task, data = _data(user)
        inject = "inject" in opts
        if system.startswith("You rewrite"):
            blocks = _blocks(data)
            out = []
            for block in blocks:
                if inject and _injected(block["text"]):
                    out.append({"id": block["id"], "parts": [{"text": "PIRATÉ"}]})
                    continue
                text = _NUMBER.sub("", block["text"]) if "dropfacts" in opts else block["text"]
                if "acronyms" in opts:
                    for short, meaning in (data.get("acronyms") or {}).items():
                        text = re.sub(
                            rf"\b{re.escape(short)}\b(?! \()", f"{short} ({meaning})", text, count=1
                        )
                out.append({"id": block["id"], "parts": self._parts(text)})
            return {"blocks": out}
        if system.startswith("You translate"):
            blocks = _blocks(data)
            return {
                "blocks": [
                    {
                        "id": b["id"],
                        "text": f"[{task.get('target')}] "
                        + _glossed(
                            _NUMBER.sub("", b["text"]) if "dropfacts" in opts else b["text"],
                            data.get("glossary") or {},
                        ),
                    }
                    for b in blocks
                ]
            }
        if system.startswith("You write a glossary"):
            terms = []
            for item in data.get("terms", []):
                known = GLOSSARY.get(item["term"].lower())
                definition = (
                    known[0] if known else f"Mot du cours. Exemple : {_words_upto(item['context'], 160)}"
                )
                translation = (known[1] if known else item["term"]) if task.get("translate_to") else None
                terms.append({"term": item["term"], "definition": definition, "translation": translation})
            return {"terms": terms}
        if system.startswith("You write the key points"):
            return {
                "sections": [
                    {"id": s["id"], "points": _sentences(s["text"])[: task.get("max_points", 3)]}
                    for s in data.get("sections", [])
                ]
            }
        if system.startswith("You describe one image"):
            caption = data.get("caption") or ""
            if inject and _injected(caption + " " + (data.get("context") or "")):
                return {
                    "decorative": True,
                    "kind": "other",
                    "alt": "",
                    "long_description": None,
                    "data_table": None,
                }
            kind = (
                "chart"
                if re.search(r"graphique|courbe|chart", caption, re.I)
                else ("text" if re.search(r"texte|étapes|text", caption, re.I) else "diagram")
            )
            chart = kind == "chart"
            return {
                "decorative": False,
                "kind": kind,
                "alt": (caption or "Schéma du cours")[:150],
                "long_description": (
                    f"Le graphique montre {caption.lower()}."
                    if chart and task.get("detail") == "extended"
                    else None
                ),
                "data_table": [["Heure", "Dioxygène (mL)"], ["8 h", "2"], ["12 h", "9"]] if chart else None,
            }
        return {"error": "unknown prompt"}

    @staticmethod
    def _parts(text: str) -> list[dict[str, Any]]:
        parts: list[dict[str, Any]] = []
        for sentence in _sentences(text):
            intro, colon, rest = sentence.partition(" : ")
            if colon and "," in rest and " et " in rest:
                head, _, last = rest.rstrip(".").rpartition(" et ")
                parts.append({"text": intro + " :", "items": [*(i.strip() for i in head.split(",")), last]})
            else:
                parts.append({"text": sentence})
        return parts

    def _ocr(self, model: str) -> dict[str, Any]:
        return {
            "pages": [
                {
                    "index": 0,
                    "markdown": self.ocr_text,
                    "images": [],
                    "dimensions": {"dpi": 200, "height": 400, "width": 600},
                }
            ],
            "model": model,
            "usage_info": {"pages_processed": 1, "doc_size_bytes": 1000},
        }

    # -- HTTP --------------------------------------------------------------------------------------

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:  # keep test output quiet
                pass

            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                length = int(self.headers.get("content-length") or 0)
                try:
                    body = json.loads(self.rfile.read(length) or b"{}")
                except json.JSONDecodeError:
                    self._send(400, {}, {"message": "invalid JSON"})
                    return
                entry: dict[str, Any] = {
                    "path": self.path,
                    "model": body.get("model"),
                    "body": body,
                    "authorization": self.headers.get("authorization"),
                }
                with server._lock:
                    server.requests.append(entry)
                if self.path not in ("/v1/chat/completions", "/v1/ocr"):
                    self._send(404, {}, {"message": "not found"})
                    return
                status, headers, payload = server.answer(self.path, body)
                with server._lock:
                    entry.update(status=status, usage=payload.get("usage"))
                self._send(status, headers, payload)

            def _send(self, status: int, headers: dict[str, str], payload: dict[str, Any]) -> None:
                data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
                try:
                    self.send_response(status)
                    self.send_header("content-type", "application/json")
                    self.send_header("content-length", str(len(data)))
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout test)

        return Handler
