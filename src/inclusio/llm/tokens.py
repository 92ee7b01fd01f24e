"""Token estimates without a tokenizer (nothing to download): about 4 bytes of UTF-8 per token.

Used before a call (rate limits, batch sizes) and by the benchmark for the document's own
tokens; the tokens *billed* are the ``usage`` the server returns. For French and English
prose, Mistral's tokenizer gives 3.5-4.5 bytes per token, so the estimate is within ~15 %.
"""

from __future__ import annotations

BYTES_PER_TOKEN = 4


def estimate_tokens(text: str) -> int:
    """Estimated tokens of ``text`` (at least 1 for a non-empty text)."""
    if not text:
        return 0
    return max(1, -(-len(text.encode("utf-8")) // BYTES_PER_TOKEN))


def estimate_image_tokens(data: bytes) -> int:
    """A rough figure for an image sent to a vision model (a tile budget, not its bytes)."""
    return 1024
