"""LLM engine benchmark against the local Mistral-protocol server (tests/llm/mistral_server.py).

Prints, for the easy-read and FLE profiles on a generated 12-section French course:

1. tokens sent / the document's own tokens, per pass (target at most 1.25): the prompt is paid
   once per batch of blocks, so the ratio falls as ``INCLUSIO_LLM_BATCH_TOKENS`` grows. The document's
   own tokens are those of its whole text (the rewrite pass's source tokens); the ratio to the pass's
   own payload (what the pass took from the document: the candidate terms, for the glossary) is
   printed beside it, since a pass with a small payload pays mostly for its fixed prompt;
2. throughput against the concurrency limit: N one-block calls at a fixed model latency, in
   seconds, against the ideal N x latency / concurrency (target at most 1.1 x ideal);
3. calls made by a re-run of the same job (target 0).

Usage: ``.venv/bin/python bench/llm.py [--blocks 200] [--latency 1.0] [--concurrency 8]``.
The default is the issue's figure: 200 blocks at 1 s latency (about 25 s at concurrency 8).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "llm"))
sys.path.insert(0, str(ROOT / "tests" / "adapt"))

from course import PARAGRAPHS  # noqa: E402
from mistral_server import MistralServer  # noqa: E402

from inclusio.adapt.engine import adapt_document  # noqa: E402
from inclusio.config import Settings  # noqa: E402
from inclusio.model.document import Document, Heading, Paragraph, SourceInfo  # noqa: E402
from inclusio.profiles import load_profile  # noqa: E402


def make_course(sections: int, per_section: int = 5) -> Document:
    """A course of ``sections`` sections; each paragraph made unique so the cache cannot help."""
    texts = list(PARAGRAPHS.values())
    blocks: list = []
    for s in range(1, sections + 1):
        blocks.append(Heading(id=f"h{s}", level=1 if s == 1 else 2, text=f"Partie {s} : la photosynthèse"))
        for k in range(per_section):
            text = texts[(s + k) % len(texts)] + f" Cette remarque porte le numéro {s}.{k}."
            blocks.append(Paragraph(id=f"p{s}-{k}", text=text))
    return Document(
        title="La photosynthèse",
        lang="fr",
        blocks=blocks,
        source=SourceInfo(filename="bench.pdf", media_type="application/pdf", sha256="0" * 64),
    )


def token_ratios(server: MistralServer, data_dir: Path) -> None:
    doc = make_course(12)
    print("1. tokens sent / document's own tokens, per pass (target <= 1.25)")
    for profile in ("easy-read", "fle"):
        settings = Settings(
            data_dir=data_dir / profile,
            engine="mistral",
            mistral_server_url=server.url,
            mistral_api_key="bench",
        )
        result = adapt_document(doc, load_profile(profile, ROOT / "profiles"), settings)
        passes = result.stats["llm"]["passes"]
        document_tokens = max(p["source_tokens"] for p in passes.values())
        for name, p in passes.items():
            if p["source_tokens"]:
                print(
                    f"   {profile:10s} {name:12s} calls {p['calls']:3d}  sent {p['prompt_tokens']:6d}  "
                    f"document {document_tokens:6d}  ratio {p['prompt_tokens'] / document_tokens:.2f}  "
                    f"(pass payload {p['source_tokens']:6d}, sent/payload {p['prompt_tokens'] / p['source_tokens']:.2f})"
                )
        server.reset()
        again = adapt_document(doc, load_profile(profile, ROOT / "profiles"), settings)
        print(
            f"   {profile:10s} re-run: {again.stats['llm']['calls']} calls, "
            f"{again.stats['llm']['cache_hits']} cache hits (target 0 calls); server saw {len(server.requests)}"
        )


def throughput(server: MistralServer, data_dir: Path, blocks: int, latency: float, concurrency: int) -> None:
    sections = max(1, blocks // 5)
    doc = make_course(sections)
    settings = Settings(
        data_dir=data_dir / "throughput",
        engine="mistral",
        mistral_server_url=server.url,
        mistral_api_key="bench",
        llm_concurrency=concurrency,
        llm_batch_tokens=50,
        llm_requests_per_minute=100_000,
        llm_tokens_per_minute=100_000_000,
        llm_cache=False,
    )
    profile = load_profile("adhd", ROOT / "profiles").model_copy(
        update={
            "summaries": load_profile("dyslexia", ROOT / "profiles").summaries,
            "glossary": load_profile("dyslexia", ROOT / "profiles").glossary,
        }
    )
    server.reset()
    server.latency_s = latency
    started = time.perf_counter()
    result = adapt_document(doc, profile, settings)
    seconds = time.perf_counter() - started
    server.latency_s = 0.0
    calls = result.stats["llm"]["passes"]["plain"]["calls"]
    ideal = calls * latency / concurrency
    print(
        f"2. throughput: {calls} one-block calls at {latency:.2f} s latency, concurrency {concurrency}: "
        f"{seconds:.2f} s; ideal {ideal:.2f} s; ratio {seconds / ideal:.2f} (target <= 1.10)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--blocks", type=int, default=200)
    parser.add_argument("--latency", type=float, default=1.0)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, MistralServer() as server:
        token_ratios(server, Path(tmp))
        throughput(server, Path(tmp), args.blocks, args.latency, args.concurrency)


if __name__ == "__main__":
    main()
