"""Offline key points of a section: the sentences that carry its terms and facts, not its first lines.

:func:`key_points` picks, among the sentences the reader gets (the easy-to-read or plain rewrite
when there is one, so the points are short sentences), those that:

* are **not** the first sentence of one of the section's paragraphs (of the source or of its
  rewrite): a copy of the opening lines tells the reader nothing the section does not already
  start with;
* stand on their own: not an intro ending with a colon, not a question, not starting with a
  pronoun or a connector that points back ("Il", "Cela", "Pourtant,", "This", "However,"...),
  at least :data:`MIN_WORDS` words and at most the profile's sentence limit (a key point is short);
* score best on what they carry: the document's glossary and course terms, the section title's
  words, numbers and dates (facts), rare content words (wordfreq Zipf frequency: the rarer, the
  more specific), divided by the square root of their length, minus a small penalty for their
  position and for each word over the profile's sentence limit.

At most ``max_points``, no two alike (shared content words), given in reading order. A section
where no sentence reaches :data:`MIN_SCORE` gets no key points: the caller says so in its
counts and notes, rather than showing filler.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

from inclusio.adapt.split import has_clause
from inclusio.analysis.rare_words import zipf
from inclusio.model.document import Block, Document, ListBlock, Paragraph, Section
from inclusio.text.sentences import split_sentences

MIN_WORDS = 4
MIN_SCORE = 0.5
"""Below this, a sentence says nothing specific enough to be a key point."""
MAX_OVERLAP = 0.5
"""Two points sharing more than this share of their content words are the same point."""
_REWRITES = ("easy_read", "plain")
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*", re.UNICODE)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
_BACK_REFERENCES = {
    "fr": (
        "il ",
        "elle ",
        "ils ",
        "elles ",
        "cela ",
        "ceci ",
        "ça ",
        "c'est parce",
        "c’est parce",
        "c'est pourquoi",
        "c’est pourquoi",
        "pourtant",
        "ensuite",
        "alors",
        "sinon",
        "donc",
        "mais ",
        "et ",
        "car ",
        "or ",
        "ou ",
        "ni ",
        "celui",
        "celle",
        "y ",
        "en ",
        "c'est ",
        "c’est ",
    ),
    "en": (
        "it ",
        "they ",
        "he ",
        "she ",
        "this ",
        "these ",
        "those ",
        "that ",
        "however",
        "then",
        "so ",
        "and ",
        "but ",
        "or ",
        "as a result",
        "otherwise",
        "by contrast",
        "at the same time",
    ),
}
_STOP_FR = """le la les un une des du de d l au aux et ou mais donc car ni or que qui quoi dont où ce cet
        cette ces son sa ses leur leurs notre nos votre vos mon ma mes ton ta tes est sont était être avoir a ont
        avait fait font peut peuvent doit dans sur sous pour par avec sans entre vers chez plus moins très aussi
        bien tout tous toute toutes comme quand lorsque si ne pas n se s en y il elle ils elles on nous vous
        je tu lui eux cela ceci ça c qu même autre autres alors ainsi encore déjà"""
_STOP_EN = """the a an and or but so of to in on at for with by from as is are was were be been being
        it its this that these those they them their there which who whom whose what when where how not no
        can could may might must should would will shall do does did has have had than then also very more
        most such into over under about"""
_STOP = {"fr": frozenset(_STOP_FR.split()), "en": frozenset(_STOP_EN.split())}


def _norm(text: str) -> str:
    return " ".join(text.split()).strip().lower()


def _lang(lang: str) -> str:
    root = lang.split("-")[0].lower()
    return root if root in _STOP else "en"


def _reader_blocks(block: Block) -> list[Block]:
    for kind in _REWRITES:
        adaptation = block.adaptation(kind)
        if adaptation is not None and adaptation.blocks:
            return list(adaptation.blocks)
    return [block]


def _first_sentences(blocks: Iterable[Block]) -> set[str]:
    """First sentence of each paragraph, of the source and of the first block of its rewrite."""
    out: set[str] = set()
    for block in blocks:
        if not isinstance(block, Paragraph):
            continue
        for text in (block.plain_text(), _reader_blocks(block)[0].plain_text()):
            sentences = split_sentences(text)
            if sentences:
                out.add(_norm(sentences[0]))
    return out


def _candidates(blocks: Iterable[Block]) -> list[str]:
    out: list[str] = []
    for block in blocks:
        if not isinstance(block, Paragraph):
            continue  # list items are fragments; headings are not points
        for part in _reader_blocks(block):
            if isinstance(part, Paragraph):
                out += split_sentences(part.plain_text())
    return out


def _content_words(sentence: str, lang: str) -> list[str]:
    return [
        w.lower()
        for w in _WORD.findall(sentence)
        if len(w) >= 3 and w.lower() not in _STOP[lang] and w.lower().split("'")[-1] not in _STOP[lang]
    ]


def _stands_alone(sentence: str, lang: str, max_words: int) -> bool:
    text = sentence.strip()
    words = [w for w in text.split() if any(ch.isalnum() for ch in w)]
    if len(words) < MIN_WORDS or len(words) > max_words or text.endswith((":", "?")):
        return False
    lowered = text.lower().lstrip('«“"( ')
    return not lowered.startswith(_BACK_REFERENCES[lang]) and has_clause(text, lang)


def _score(sentence: str, index: int, lang: str, terms: set[str], title: set[str], max_words: int) -> float:
    words = _content_words(sentence, lang)
    if not words:
        return 0.0
    lowered = sentence.lower()
    score = 2.0 * sum(1 for term in terms if term and re.search(rf"(?<!\w){re.escape(term)}(?!\w)", lowered))
    score += 1.0 * len(set(words) & title)
    score += 1.5 * len(_NUMBER.findall(sentence))
    score += sum(max(0.0, 4.5 - zipf(word, lang)) / 2 for word in set(words))  # rare = specific
    score /= math.sqrt(len(sentence.split()))
    score -= 0.05 * index + 0.1 * max(0, len(sentence.split()) - max_words)
    if sentence.lower().startswith(("ce ", "cet ", "cette ", "ces ")):
        score -= 0.3  # "Cette phase sombre...": points back, but still says what it is about
    return score


def _alike(a: str, b: str, lang: str) -> bool:
    wa, wb = set(_content_words(a, lang)), set(_content_words(b, lang))
    return bool(wa and wb) and len(wa & wb) / min(len(wa), len(wb)) > MAX_OVERLAP


def pick(
    blocks: list[Block],
    lang: str,
    max_points: int,
    *,
    title: str = "",
    terms: Iterable[str] = (),
    max_words: int = 15,
) -> list[str]:
    """Key points of a section's ``blocks`` (see the module docstring), in reading order; may be empty."""
    root = _lang(lang)
    firsts = _first_sentences(blocks)
    term_set = {t.strip().lower() for t in terms if t and t.strip()}
    title_words = set(_content_words(title, root))
    scored: list[tuple[float, int, str]] = []
    for index, sentence in enumerate(_candidates(blocks)):
        if _norm(sentence) in firsts or not _stands_alone(sentence, root, max_words):
            continue
        score = _score(sentence, index, root, term_set, title_words, max_words)
        if score >= MIN_SCORE:
            scored.append((score, index, sentence))
    chosen: list[tuple[int, str]] = []
    for _, index, sentence in sorted(scored, key=lambda item: (-item[0], item[1])):
        if len(chosen) >= max_points:
            break
        if any(_norm(sentence) == _norm(other) or _alike(sentence, other, root) for _, other in chosen):
            continue
        chosen.append((index, sentence))
    return [sentence for _, sentence in sorted(chosen)]


def section_index(doc: Document) -> dict[str, Section]:
    """Every section of ``doc`` by its heading's id (the first one when two headings share an id), for
    :func:`key_points` over many sections of one document: building the sections walks every block, and
    once per section was quadratic (8 % of the adapt stage's profile on the 265-page manual)."""
    index: dict[str, Section] = {}
    for top in doc.sections():
        for section in top.walk():
            if section.heading is not None:
                index.setdefault(section.heading.id, section)
    return index


def key_points(
    doc: Document,
    heading_id: str,
    max_points: int,
    *,
    terms: Iterable[str] = (),
    max_words: int = 15,
    sections: dict[str, Section] | None = None,
) -> list[str]:
    """Key points of the section under the heading ``heading_id`` of ``doc`` (its own blocks).

    ``terms``: course terms to favour, besides every term of ``doc.glossary``. Empty when no
    sentence qualifies. ``sections``: :func:`section_index` of ``doc``, made once by a caller that asks
    for many sections of a document whose blocks it does not add or remove meanwhile.
    """
    section = (sections if sections is not None else section_index(doc)).get(heading_id)
    if section is None or section.heading is None:
        return []
    blocks = [b for b in section.blocks if isinstance(b, Paragraph | ListBlock)]
    lang = doc.block_lang(section.heading)
    all_terms = [*terms, *(entry.term for entry in doc.glossary)]
    return pick(blocks, lang, max_points, title=section.heading.text, terms=all_terms, max_words=max_words)
