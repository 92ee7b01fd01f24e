"""Where a block is in the source file: slide N or page N, for findings a teacher can go to."""

from __future__ import annotations

from typing import Literal

from inclusio.model.document import Document

PlaceKind = Literal["slide", "page"]
Place = tuple[PlaceKind, int]


def places_of(doc: Document) -> dict[str, Place]:
    """``block id -> ("slide"|"page", number)``: the block's own source, else the page or slide marker it
    follows (formats whose blocks carry no position of their own, such as DOCX, have none)."""
    places: dict[str, Place] = {}
    current: Place | None = None
    for block in doc.blocks:
        if block.type == "page":
            current = (block.kind, block.number)  # type: ignore[union-attr]
        own = block.source
        if own is not None and (own.slide or own.page):
            places[block.id] = ("slide", own.slide) if own.slide else ("page", own.page)  # type: ignore[assignment]
        elif current is not None:
            places[block.id] = current
    return places


PLACE_WORDS = {"en": {"slide": "slide", "page": "page"}, "fr": {"slide": "diapositive", "page": "page"}}


def place_label(place: Place | None, lang: str) -> str:
    """``diapositive 4`` / ``slide 4`` / ``page 12``, or ``""`` without a place."""
    if place is None:
        return ""
    return f"{PLACE_WORDS['fr' if lang == 'fr' else 'en'][place[0]]} {place[1]}"


def span_label(first: Place | None, last: Place | None, lang: str) -> str:
    """``diapositives 3 à 7`` / ``slides 3-7``, or one place when both ends are the same."""
    if first is None or last is None:
        return place_label(first or last, lang)
    if first == last or first[0] != last[0]:
        return place_label(first, lang)
    if lang == "fr":
        word = "diapositives" if first[0] == "slide" else "pages"
        return f"{word} {first[1]} à {last[1]}"
    return f"{first[0]}s {first[1]}–{last[1]}"
