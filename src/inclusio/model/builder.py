"""A small helper for converters: hands out block ids and collects blocks and resources."""

from __future__ import annotations

import hashlib

from inclusio.model.document import Block, ConversionIssue, Resource, SourceRef


class DocumentBuilder:
    """Collects blocks in reading order with ids ``b1``, ``b2``... and de-duplicated resources."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.resources: dict[str, Resource] = {}
        self.issues: list[ConversionIssue] = []
        self._next = 0

    def new_id(self) -> str:
        self._next += 1
        return f"b{self._next}"

    def add(self, block: Block) -> Block:
        self.blocks.append(block)
        return block

    def add_resource(self, data: bytes, media_type: str) -> str:
        """Store image bytes once (keyed by content) and return the resource key."""
        digest = hashlib.sha256(data).hexdigest()[:16]
        key = f"img-{digest}"
        if key not in self.resources:
            self.resources[key] = Resource(media_type=media_type, data=data)
        return key

    def issue(self, code: str, message: str, *, block_id: str | None = None,
              source: SourceRef | None = None) -> None:
        """Record something the converter could not do fully (reported, never fatal)."""
        self.issues.append(ConversionIssue(code=code, message=message, block_id=block_id, source=source))
