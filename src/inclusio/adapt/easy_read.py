"""First offline easy-to-read pass: rules only, no model, nothing leaves the machine.

:func:`apply_easy_read` gives each body paragraph (and quote) an ``easy_read``
:class:`~inclusio.model.document.Adaptation` whose blocks are the same text laid out for
easy reading (FALC rules T1, T2, T3 and T18, STANDARDS §3):

* one sentence per line: one :class:`Paragraph` per sentence (``one_sentence_per_line``);
* a sentence longer than ``max_sentence_words`` is cut: first at ``;`` and ``:``; then, in
  French, on its syntax (:mod:`inclusio.adapt.split`: relative clauses, parentheses,
  appositions, concessive and causal clauses, coordinated clauses, participle phrases, each new
  sentence with its subject repeated: "Le document, lequel a été distribué tard, a permis X."
  -> "Le document a permis X." / "Ce document a été distribué tard."); then at a connector
  (``mais``, ``car``, ``donc``, ``, et``, ``parce que``, ``, alors que``, ``, tandis que``,
  ``, puis``; ``but``, ``because``, ``, so``, ``, and``, ``, while``, ``, whereas``, ``, then``),
  then ``, ce qui`` / ``, which is why`` ("Cela" / "This is why"), then a relative ``, qui`` /
  ``, which`` when the noun before it can be repeated. The connector never starts the new
  sentence: it becomes words an easy-to-read editor accepts ("X, mais Y." -> "X." / "Pourtant,
  Y."; "car" -> "C'est parce que"; "donc" -> "C'est pourquoi"; "et"/"and" is dropped, and that
  cut is only made when a subject follows). A source sentence starting with a bare conjunction
  is rewritten the same way (:func:`fix_bare_start`). Each half keeps at least 3 words; halves
  still too long are cut again, and a part of a cut sentence loses its incises too. A long
  sentence without a safe point is left as it is and a note says so;
* numbers written in words become digits ("six molécules" -> "6 molécules", rule T10), in list
  items too (:func:`adapt_list`: a list keeps its items, only digits and bare conjunctions change);
* a table-of-contents line (dot leaders and a page number, :func:`is_contents_line`) is never cut;
* an enumeration of 3 or more short items joined by ``et``/``and`` ("A, B, C et D"), after a
  colon or inside a sentence, becomes an intro sentence ending with a colon and a
  :class:`ListBlock` (``enumerations_as_lists``). The final ``et``/``and`` is the only word
  dropped: the list says it. Enumerations with ``ou``/``or`` are left alone (a list would
  lose the choice).

The relative pronoun of a cut relative clause is replaced by its repeated noun, ", ce qui" /
", which is why" by "Cela" / "This is why", a connector by its adverb. No number or name is
ever removed; headings, lists, tables, captions, notes and
code are left as they are. Every adaptation records its :class:`Provenance` (engine
``offline``, prompt version ``rules-1``) and ``notes`` saying what was done, for the reviewer.
This is a draft for human review, never "FALC" by itself: the real engine (LLM + rule
checker) will come later and use the same ``Adaptation`` shape.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from inclusio.adapt.split import capitalise_first as _capitalise
from inclusio.adapt.split import split_once, split_restrictive
from inclusio.model.document import (
    Adaptation,
    Block,
    Document,
    ListBlock,
    ListItem,
    Paragraph,
    Provenance,
)
from inclusio.profiles.schema import AdaptationSettings
from inclusio.text.sentences import split_sentences

PASS_NAME = "easy_read"
PROMPT_VERSION = "rules-1"
MIN_PART_WORDS = 3
"""A cut never leaves a sentence shorter than this."""
MAX_ITEM_WORDS = 5
"""Enumeration items longer than this (except the last, which may carry the sentence's end) are clauses."""
MAX_LAST_ITEM_WORDS = 12

# Split points, best first. Each: (marker as found in the text, label for notes, how the second
# half starts: "lead" starts it with the words of _LEADS instead of the connector, "drop_punct"
# drops the mark, "relative" repeats the noun).
_SPLITS: dict[str, list[tuple[str, str, str]]] = {
    "fr": [
        ("; ", ";", "drop_punct"),
        (" : ", ":", "colon"),
        (", mais ", "mais", "lead"),
        (" mais ", "mais", "lead"),
        (", car ", "car", "lead"),
        (" car ", "car", "lead"),
        (", donc ", "donc", "lead"),
        (", et ", "et", "lead"),
        (", parce que ", "parce que", "lead"),
        (" parce que ", "parce que", "lead"),
        (", parce qu'", "parce qu'", "lead"),
        (", parce qu’", "parce qu’", "lead"),
        (", alors que ", "alors que", "lead"),
        (", tandis que ", "tandis que", "lead"),
        (", puis ", "puis", "lead"),
        (", ce qui ", "ce qui", "cela"),
        (", qui ", "qui", "relative"),
    ],
    "en": [
        ("; ", ";", "drop_punct"),
        (": ", ":", "colon"),
        (", but ", "but", "lead"),
        (" but ", "but", "lead"),
        (", because ", "because", "lead"),
        (" because ", "because", "lead"),
        (", so ", "so", "lead"),
        (", and ", "and", "lead"),
        (", while ", "while", "lead"),
        (", whereas ", "whereas", "lead"),
        (", then ", "then", "lead"),
        (", which is why ", "which", "this"),
        (", which ", "which", "relative"),
    ],
}
# What starts the second sentence instead of a connector, so that no sentence starts with a bare
# conjunction ("X, mais Y." -> "X." / "Pourtant, Y."). "" drops the connector; those splits are
# only made when a subject follows (a pronoun, a determiner or a name).
_LEADS: dict[str, dict[str, str]] = {
    "fr": {
        "mais": "Pourtant,",
        "car": "C'est parce que",
        "donc": "C'est pourquoi",
        "et": "",
        "parce que": "C'est parce que",
        "parce qu'": "C'est parce qu'",
        "parce qu’": "C'est parce qu’",
        "alors que": "Par contre,",
        "tandis que": "Par contre,",
        "puis": "Ensuite,",
    },
    "en": {
        "but": "However,",
        "because": "This is because",
        "so": "As a result,",
        "and": "",
        "while": "At the same time,",
        "whereas": "By contrast,",
        "then": "Then,",
    },
}
_SUBJECT_STARTS = {
    "fr": frozenset(
        [
            "il",
            "elle",
            "ils",
            "elles",
            "on",
            "nous",
            "vous",
            "je",
            "j'",
            "j’",
            "tu",
            "le",
            "la",
            "les",
            "un",
            "une",
            "des",
            "ce",
            "cet",
            "cette",
            "ces",
            "son",
            "sa",
            "ses",
            "leur",
            "leurs",
            "cela",
            "ceci",
            "c'est",
            "c’est",
            "notre",
            "nos",
            "votre",
            "vos",
            "mon",
            "ma",
            "mes",
            "chaque",
            "tous",
            "toutes",
            "plusieurs",
            "certains",
            "certaines",
        ]
    ),
    "en": frozenset(
        [
            "the",
            "a",
            "an",
            "it",
            "he",
            "she",
            "they",
            "we",
            "you",
            "i",
            "this",
            "these",
            "those",
            "there",
            "its",
            "their",
            "his",
            "her",
            "our",
            "my",
            "your",
            "each",
            "every",
            "some",
            "many",
            "most",
            "all",
        ]
    ),
}
# Sentence-initial bare coordinating conjunctions and what replaces them in the easy-to-read text.
_BARE_STARTS: dict[str, dict[str, str]] = {
    "fr": {
        "et": "",
        "mais": "Pourtant,",
        "car": "C'est parce que",
        "or": "",
        "donc": "Alors,",
        "ou": "Sinon,",
        "ni": "",
    },
    "en": {"and": "", "but": "However,", "or": "Otherwise,", "so": "As a result,"},
}
# Determiners that start a noun phrase a relative clause can refer back to, and the article
# that starts the repeated noun phrase as a subject (partitives become definite articles).
_RELATIVE_HEADS = {
    "fr": {
        "le": "le",
        "la": "la",
        "les": "les",
        "l'": "l'",
        "l’": "l’",
        "du": "le",
        "des": "les",
        "au": "le",
        "aux": "les",
        "ce": "ce",
        "cet": "cet",
        "cette": "cette",
        "ces": "ces",
    },
    "en": {"the": "the", "this": "this", "these": "these", "those": "those"},
}
_CONJUNCTION = {"fr": "et", "en": "and"}
_ARTICLES = {
    "fr": frozenset(
        [
            "le",
            "la",
            "les",
            "l'",
            "l’",
            "un",
            "une",
            "des",
            "du",
            "de",
            "d'",
            "d’",
            "au",
            "aux",
            "à",
            "son",
            "sa",
            "ses",
            "leur",
            "leurs",
            "ce",
            "cet",
            "cette",
            "ces",
            "en",
            "dans",
            "sur",
            "pour",
            "par",
            "avec",
            "sans",
            "chez",
            "entre",
            "vers",
        ]
    ),
    "en": frozenset(["the", "a", "an", "of", "to", "in", "on", "for", "with", "by", "from"]),
}


@dataclass
class _Piece:
    """A sentence, or an enumeration (intro sentence + list items)."""

    text: str
    items: list[str] = field(default_factory=list)


def _words(text: str) -> list[str]:
    return [w for w in text.split() if any(ch.isalnum() for ch in w)]


def _lang_root(lang: str) -> str:
    root = lang.split("-")[0].lower()
    return root if root in _SPLITS else "en"


def _end_sentence(text: str) -> str:
    text = text.rstrip().rstrip(",;")
    return text if text[-1:] in ".!?…:" else text + "."


def _terminal(sentence: str) -> str:
    """The sentence's final punctuation (kept on the last half after a cut)."""
    match = re.search(r"[.!?…]+[»\"'”’)\]]*$", sentence)
    return match.group(0) if match else ""


# -- enumerations -----------------------------------------------------------------------------


def _split_items(span: str, lang: str) -> list[str] | None:
    """Items of "A, B, C et D" (Oxford comma allowed), or None if ``span`` is not such a list."""
    conj = _CONJUNCTION[lang]
    head, sep, last = span.rpartition(f" {conj} ")
    if not sep or "," not in head:
        return None
    items = [part.strip() for part in head.split(", ")]
    if items and items[-1].endswith(","):
        items[-1] = items[-1].rstrip(",").strip()
    items.append(last.strip())
    if len(items) < 3 or any(not _words(item) for item in items):
        return None
    return items


def _find_enumeration(sentence: str, lang: str) -> tuple[str, list[str]] | None:
    """(intro, items) when ``sentence`` holds an "A, B, C et D" enumeration of short items."""
    body = sentence.rstrip()
    end = _terminal(body)
    if end[:1] in ("?", "!"):
        return None  # a question or an exclamation would lose its mark in a list
    body = body[: len(body) - len(end)].rstrip() if end else body
    colon = re.search(r"\s?:\s", body)
    if colon:
        intro, span = body[: colon.start()].rstrip(), body[colon.end() :]
        items = _split_items(span, lang)
        if items and len(_words(intro)) >= 1 and _items_are_short(items):
            return _end_intro(intro, lang), items
        return None
    segments = _split_items(body, lang)
    if not segments:
        return None
    # Inside a sentence the first item is the tail of a segment ("La plante a besoin de lumière,
    # d'eau..." -> "de lumière"): it starts at the segment's last article or preposition, else it
    # is its last word. Try the earliest segment first (the longest list).
    for k in range(len(segments) - 2):
        later = segments[k + 1 :]
        # Items of a real enumeration are short or start alike with an article or preposition;
        # comma-separated clauses ("appelée aussi..., a lieu dans...") do not.
        if not all(len(_words(item)) <= 2 or _family(item.split()[0]) or _is_name(item) for item in later):
            continue
        families = {_family(item.split()[0]) for item in later} - {None}
        words = segments[k].split()
        cut = next((i for i in range(len(words) - 1, 0, -1) if _family(words[i]) in families), None)
        if cut is None and not families and all(_is_name(item) for item in later):
            # A list of names ("de GNU, Linux, Common UNIX Printing System et Samba"): the first
            # item is the name ending the segment, all its capitalised words.
            cut = next((i + 1 for i in range(len(words) - 1, -1, -1) if not _is_name(words[i])), 0)
            cut = cut if 0 < cut < len(words) else None
            if cut is None:
                continue
        if cut is None:
            cut = next((i for i in range(len(words) - 1, 0, -1) if _family(words[i])), len(words) - 1)
        intro = ", ".join([*segments[:k], " ".join(words[:cut])])
        items = [" ".join(words[cut:]), *later]
        if len(_words(intro)) >= 2 and _items_are_short(items):
            return _end_intro(intro, lang), items
    return None


def _is_name(text: str) -> bool:
    """Every word capitalised (or a number): a name such as "Common UNIX Printing System" or "Plan 9"."""
    words = _words(text)
    return bool(words) and all(w[:1].isupper() or w[:1].isdigit() for w in words)


def _family(word: str) -> str | None:
    """The article or preposition a word is (de, du, des, d' are one family), else None."""
    token = word.lower()
    if token[:2] in ("d'", "d’") or token in ("de", "du", "des"):
        return "de"
    if token[:2] in ("l'", "l’") or token in ("le", "la", "les"):
        return "le"
    if token in _ARTICLES["fr"] or token in _ARTICLES["en"]:
        return token
    return None


_CLAUSE_PIECE = re.compile(
    r"(?i)(?:^|\s)(?:qui|que|qu['’]|dont|où)$|-t-(?:il|elle|on)$|-(?:il|elle|ils|elles|on|je|tu|nous|vous)$"
)
"""An "item" that is a piece of a clause: it ends on a relative pronoun ("un atelier qui") or is an
inverted verb ("pense-t-il"), so the commas around it are not an enumeration's."""


def _items_are_short(items: list[str]) -> bool:
    return (
        all(len(_words(item)) <= MAX_ITEM_WORDS for item in items[:-1])
        and len(_words(items[-1])) <= MAX_LAST_ITEM_WORDS
        and not any(_CLAUSE_PIECE.search(item.strip()) for item in items)
    )


def _end_intro(intro: str, lang: str) -> str:
    intro = intro.rstrip().rstrip(",")
    return intro + (" :" if lang == "fr" else ":")


# -- long sentences ----------------------------------------------------------------------------


def _relative_subject(first: str, lang: str) -> str | None:
    """The noun phrase ending ``first`` that a relative pronoun refers to, as a subject."""
    words = first.split()
    heads = _RELATIVE_HEADS[lang]
    for i in range(len(words) - 1, max(-1, len(words) - 5), -1):
        token = words[i].lower()
        if token in heads:
            rest = words[i + 1 :]
            if not rest or any("," in w for w in rest[:-1]):
                return None
            return (
                " ".join([heads[token], *rest])
                if not heads[token].endswith(("'", "’"))
                else heads[token] + " ".join(rest)
            )
        for elided in ("l'", "l’"):
            if token.startswith(elided) and len(token) > 2:
                return " ".join([elided + words[i][2:], *words[i + 1 :]])
    return None


def _candidates(sentence: str, lang: str) -> list[tuple[int, int, int, str, str, str]]:
    """Split points of the rules: (rank, distance from the middle, start, marker, label, how)."""
    splits = _SPLITS[lang]
    # Markers with the same label (", mais " and " mais ") share the rank of the first one.
    rank_of = {
        label: next(i for i, entry in enumerate(splits) if entry[1] == label) for _, label, _ in splits
    }
    candidates: list[tuple[int, int, int, str, str, str]] = []
    for marker, label, how in splits:
        for match in re.finditer(re.escape(marker), sentence):
            first, second = sentence[: match.start()], sentence[match.end() :]
            if len(_words(first)) < MIN_PART_WORDS or len(_words(second)) < MIN_PART_WORDS:
                continue
            if first.count("(") > first.count(")") or first.count("«") > first.count("»"):
                continue  # never inside brackets or quotes: "(NdT : en français...)"
            if how == "relative" and _relative_subject(first, lang) is None:
                continue
            if how not in ("drop_punct", "colon") and _only_subordinate(first, lang):
                continue  # "If you installed X, then Y": "If you installed X." is not a sentence
            if how == "lead" and label not in _CAUSAL and not _starts_with_subject(second, lang):
                continue  # "X, et mesure Y" / "X but not Y": the second half would have no subject
            distance = abs(len(_words(first)) - len(_words(second)))
            candidates.append((rank_of[label], distance, match.start(), marker, label, how))
    return candidates


_SUBORDINATE_STARTS = {
    "fr": (
        "si ",
        "s'il",
        "s’il",
        "quand ",
        "lorsque",
        "lorsqu",
        "bien que",
        "bien qu",
        "même si",
        "comme ",
        "parce que",
        "parce qu",
        "puisque",
        "puisqu",
        "dès que",
        "dès qu",
        "alors que",
        "tandis que",
        "pendant que",
        "avant que",
        "après que",
    ),
    "en": (
        "if ",
        "when ",
        "although ",
        "though ",
        "because ",
        "since ",
        "while ",
        "as ",
        "unless ",
        "once ",
        "after ",
        "before ",
        "whereas ",
    ),
}


def _only_subordinate(first: str, lang: str) -> bool:
    """``first`` is one subordinate clause and nothing else: it opens on a subordinator, no comma."""
    text = first.strip().lstrip('«“"(').lower()
    return text.startswith(_SUBORDINATE_STARTS[lang]) and "," not in text


_CAUSAL = frozenset(["car", "parce que", "parce qu'", "parce qu’", "because"])
"""Connectors always followed by a full clause (with its own subject)."""


def _starts_with_subject(text: str, lang: str) -> bool:
    first = text.split(maxsplit=1)[0] if text.split() else ""
    bare = first.strip('«“"(').lower()
    if bare[:2] in ("l'", "l’", "j'", "j’", "c'", "c’") or bare in _SUBJECT_STARTS[lang]:
        return True
    return first[:1].isupper()


def _lead(lead: str, second: str) -> str:
    """``lead`` + ``second``, eliding "que" before a vowel ("C'est parce qu'il...")."""
    if not lead:
        return _capitalise(second)
    if lead.endswith(" que") and re.match(r"[aeiouyéèêàâîôûh]", second, re.IGNORECASE):
        return f"{lead[:-1]}'{second}"
    return f"{lead} {second}"


def fix_bare_start(sentence: str, lang: str) -> str:
    """A sentence starting with a bare coordinating conjunction, rewritten ("Mais X" -> "Pourtant, X")."""
    match = re.match(r"^([«“\"(]?\s*)([^\W\d_]+)(?=[\s,])[\s,]*", sentence)
    if not match:
        return sentence
    replacement = _BARE_STARTS.get(lang, {}).get(match.group(2).lower())
    if replacement is None or match.group(2)[:1].islower():
        return sentence
    rest = sentence[match.end() :]
    if len(_words(rest)) < MIN_PART_WORDS - 1:
        return sentence
    if replacement:
        return match.group(1) + _lead(replacement, rest)
    return match.group(1) + _capitalise(rest)


_NUMBER_WORDS = {
    "fr": {
        "deux": 2,
        "trois": 3,
        "quatre": 4,
        "cinq": 5,
        "six": 6,
        "sept": 7,
        "huit": 8,
        "neuf": 9,
        "dix": 10,
        "onze": 11,
        "douze": 12,
        "treize": 13,
        "quatorze": 14,
        "quinze": 15,
        "seize": 16,
        "vingt": 20,
        "trente": 30,
        "quarante": 40,
        "cinquante": 50,
        "soixante": 60,
    },
    "en": {
        "two": 2,
        "three": 3,
        "four": 4,
        "five": 5,
        "six": 6,
        "seven": 7,
        "eight": 8,
        "nine": 9,
        "ten": 10,
        "eleven": 11,
        "twelve": 12,
        "thirteen": 13,
        "fourteen": 14,
        "fifteen": 15,
        "sixteen": 16,
        "seventeen": 17,
        "eighteen": 18,
        "nineteen": 19,
        "twenty": 20,
        "thirty": 30,
        "forty": 40,
        "fifty": 50,
    },
}


def digits(sentence: str, lang: str) -> str:
    """Numbers written in words as digits (rule T10: "six molécules" -> "6 molécules").

    Only a number word standing alone (not "dix-huit", "deux-points", "vingt et un"), followed by
    a word, so the value read is the value written.
    """
    table = _NUMBER_WORDS.get(lang, {})

    def replace(match: re.Match[str]) -> str:
        value = table.get(match.group(1).lower())
        return str(value) if value is not None else match.group(0)

    return re.sub(r"(?<![\w'’-])([^\W\d_]+)(?![\w'’-])(?=\s+(?!et\b|and\b)[^\W\d_])", replace, sentence)


MAX_DEPTH = 8
"""Cuts of one sentence (a bound: each cut removes a construction, so this is never reached in practice)."""
INCISE_MIN_WORDS = 9
"""A part of a cut sentence longer than this still loses its incises (relative, apposition...)."""
RESTRICTIVE_OVER = 20
"""A relative without a comma (it narrows its noun) is taken out only of a sentence longer than this
and the profile's limit: a sentence that would fail rule T1 (:mod:`inclusio.analysis.easy_read_rules`)."""


def _cut(sentence: str, lang: str, max_words: int, depth: int = 0) -> tuple[list[str], list[str]]:
    """Cut ``sentence`` until each part has at most ``max_words`` words or no safe point is left.

    French sentences are cut on their syntax first (:mod:`inclusio.adapt.split`), after ``;`` and
    ``:``; then at the connectors of :data:`_SPLITS`. Returns the parts and the labels of the
    cuts made (for the notes).
    """
    count = len(_words(sentence))
    if depth >= MAX_DEPTH:
        return [sentence], []
    if count <= max_words:
        found = split_once(sentence, lang, incises_only=True) if depth and count > INCISE_MIN_WORDS else None
        return _recurse(found, lang, max_words, depth) if found else ([sentence], [])
    candidates = _candidates(sentence, lang)
    best = min(candidates) if candidates else None
    if best is None or best[4] not in (";", ":"):
        found = split_once(sentence, lang)
        if found:
            return _recurse(found, lang, max_words, depth)
    if best is None:
        found = split_restrictive(sentence, lang) if count > max(max_words, RESTRICTIVE_OVER) else None
        return _recurse(found, lang, max_words, depth) if found else ([sentence], [])
    # The best kind of split point; among those, the one nearest the middle.
    _, _, best_at, marker, label, how = best
    first, second = sentence[:best_at], sentence[best_at + len(marker) :]
    if how == "lead":
        additive = label in ("mais", "but") and re.search(r"\b(?:aussi|également|also)\b", second)
        second = _lead("" if additive else _LEADS[lang][label], second)
        first = _end_sentence(first)
    elif how == "colon":
        first = first.rstrip() + (" :" if lang == "fr" else ":")
        second = _capitalise(second)
    elif how in ("cela", "this"):
        # "X, ce qui explique Y." -> "X." / "Cela explique Y." ("which is why" -> "This is why").
        second = ("Cela " if how == "cela" else "This is why ") + second
        first = _end_sentence(first)
    elif how == "relative":
        subject = _relative_subject(first, lang) or ""
        second = _capitalise(subject + " " + second)
        first = _end_sentence(first)
    else:
        first = _end_sentence(first)
        second = _capitalise(second)
    return _recurse(([first, second], label), lang, max_words, depth)


def _recurse(
    found: tuple[list[str], str], lang: str, max_words: int, depth: int
) -> tuple[list[str], list[str]]:
    parts, labels = [], []
    for i, part in enumerate(found[0]):
        if i:
            labels.append(found[1])
        more_parts, more_labels = _cut(part, lang, max_words, depth + 1)
        parts += more_parts
        labels += more_labels
    return parts, labels


# -- paragraphs --------------------------------------------------------------------------------


_OCR_MISREADINGS = (
    # A pipe before an apostrophe and a letter is an "l" ("|'atre"): no text writes "|'" so.
    (re.compile(r"(?<![\w|])\|(?=['’][^\W\d_])"), "l", "'|' read as 'l'"),
    # In French, a cent sign before a, o or u is a "ç" ("¢a et là"): an amount writes it after digits.
    (re.compile(r"(?<!\d)¢(?=[aou])"), "ç", "'¢' read as 'ç'"),
)
"""Characters a text recognition (OCR) reads for a letter, where the character itself cannot be meant.
Put back in the rewrite, each with a note; an unknown word ("ot" for "où") is left as it is: any
guess could change the meaning, so the reviewer sees it (rule T4 flags it as a rare word)."""


def ocr_repairs(text: str, lang: str) -> tuple[str, list[str]]:
    """``text`` with the OCR misreadings of :data:`_OCR_MISREADINGS` put back, and a note per kind."""
    notes = []
    for pattern, letter, note in _OCR_MISREADINGS:
        if letter == "ç" and lang != "fr":
            continue
        text, count = pattern.subn(letter, text)
        if count:
            notes.append(f"{note} (OCR misreading, {count}x)")
    return text, notes


def _adapt_text(text: str, lang: str, settings: AdaptationSettings) -> tuple[list[_Piece], list[str]]:
    pieces: list[_Piece] = []
    text, notes = ocr_repairs(text, lang)
    cuts: dict[str, int] = {}
    for sentence in split_sentences(text):
        # An enumeration announced by a colon wins over cutting at that colon.
        found = _find_enumeration(sentence, lang) if settings.enumerations_as_lists else None
        if found and re.search(r"\s?:\s", sentence):
            pieces.append(
                _Piece(digits(fix_bare_start(found[0], lang), lang), [digits(i, lang) for i in found[1]])
            )
            notes.append(f"turned an enumeration of {len(found[1])} items into a list")
            continue
        parts, labels = _cut(sentence, lang, settings.max_sentence_words)
        parts = [digits(fix_bare_start(part, lang), lang) for part in parts]
        for label in labels:
            cuts[label] = cuts.get(label, 0) + 1
        lines = []
        for part in parts:
            found = _find_enumeration(part, lang) if settings.enumerations_as_lists else None
            if found:
                intro, items = found
                pieces.append(_Piece(intro, items))
                notes.append(f"turned an enumeration of {len(items)} items into a list")
                lines.append(intro)
            else:
                pieces.append(_Piece(part))
                lines.append(part)
        longest = max(len(_words(line)) for line in lines)
        if longest > settings.max_sentence_words:
            notes.append(
                f"left a sentence of {longest} words: no safe split point "
                f"(limit {settings.max_sentence_words})"
            )
    for label, count in cuts.items():
        notes.insert(0, f"split {count} sentence{'s' if count > 1 else ''} at '{label}'")
    return pieces, notes


def _blocks(block: Paragraph, pieces: list[_Piece], settings: AdaptationSettings) -> list[Block]:
    out: list[Block] = []
    pending: list[str] = []

    def new_id() -> str:
        return f"{block.id}.e{len(out) + 1}"

    def flush() -> None:
        if pending:
            out.append(
                Paragraph(
                    id=new_id(), text=" ".join(pending), role=block.role, lang=block.lang, source=block.source
                )
            )
            pending.clear()

    for piece in pieces:
        pending.append(piece.text)
        if settings.one_sentence_per_line or piece.items:
            flush()
        if piece.items:
            out.append(
                ListBlock(
                    id=new_id(),
                    lang=block.lang,
                    source=block.source,
                    items=[ListItem(text=item) for item in piece.items],
                )
            )
    flush()
    return out


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


_CONTENTS_LINE = re.compile(r"(?:\s?\.){4,}\s*\d+\s*$|\.{4,}\s*\d+\s*$")


def is_contents_line(text: str) -> bool:
    """A line of a table of contents ("1.3.1 Démarrer MC . . . . . . 17"): dot leaders and a page number.

    Not prose: cutting it would put the page number on a line of its own (only its number words
    become digits).
    """
    return bool(_CONTENTS_LINE.search(text))


def adapt_paragraph(
    block: Paragraph, lang: str, settings: AdaptationSettings, created_at: str | None = None
) -> Adaptation | None:
    """The easy-to-read adaptation of one paragraph, or None when the rules change nothing.

    A long sentence without a safe split point changes nothing on its own: the rule checker
    (not this pass) reports it.
    """
    root = _lang_root(lang)
    if is_contents_line(block.text):
        # Not prose: never cut (the page number would get a line of its own); digits only.
        pieces, notes = [_Piece(digits(" ".join(block.text.split()), root))], ["contents line: not cut"]
    else:
        pieces, notes = _adapt_text(block.text, root, settings)
    if not pieces:
        return None
    blocks = _blocks(block, pieces, settings)
    if (
        len(blocks) == 1
        and isinstance(blocks[0], Paragraph)
        and blocks[0].text == " ".join(block.text.split())
    ):
        return None
    sentences = sum(1 for p in pieces if not p.items)
    if settings.one_sentence_per_line and sentences > 1:
        notes.append(f"one sentence per line ({sentences} sentences)")
    return Adaptation(
        kind="easy_read",
        provenance=Provenance(
            engine="offline",
            pass_name=PASS_NAME,
            model=None,
            prompt_version=PROMPT_VERSION,
            created_at=created_at or _now(),
        ),
        lang=lang,
        blocks=blocks,
        notes=notes,
    )


def _list_items(items: list[ListItem], lang: str) -> list[ListItem]:
    """List items with number words as digits and no bare conjunction at their start (nested too)."""
    out = []
    for item in items:
        children = item.children
        if children is not None:
            children = children.model_copy(update={"items": _list_items(children.items, lang)})
        text = digits(fix_bare_start(item.text, lang), lang)
        out.append(item.model_copy(update={"text": text, "children": children}))
    return out


def adapt_list(block: ListBlock, lang: str, created_at: str | None = None) -> Adaptation | None:
    """The easy-to-read adaptation of a list, or None when the rules change nothing.

    A list is already laid out one idea per line: its items keep their place and their words;
    only numbers written in words become digits (T10: "Deux grands types" -> "2 grands types")
    and an item starting with a bare conjunction is rewritten, as in paragraphs.
    """
    root = _lang_root(lang)
    items = _list_items(block.items, root)
    if items == block.items:
        return None
    shown = block.model_copy(update={"id": f"{block.id}.e1", "items": items, "adaptations": []})
    return Adaptation(
        kind="easy_read",
        provenance=Provenance(
            engine="offline",
            pass_name=PASS_NAME,
            model=None,
            prompt_version=PROMPT_VERSION,
            created_at=created_at or _now(),
        ),
        lang=lang,
        blocks=[shown],
        notes=["list items: numbers in words written in digits, bare conjunctions rewritten"],
    )


def apply_easy_read(
    doc: Document, settings: AdaptationSettings, *, created_at: str | None = None
) -> Document:
    """A copy of ``doc`` where each body paragraph, quote and list the rules change has an ``easy_read`` adaptation.

    ``settings`` gives ``max_sentence_words``, ``one_sentence_per_line`` and
    ``enumerations_as_lists``. The source blocks are unchanged (writers pick the adaptation
    through :func:`inclusio.model.view.reading_blocks`). A paragraph whose easy-to-read
    adaptation was reviewed by a person is left alone; an earlier offline adaptation is
    replaced, so running the pass twice gives the same document. ``created_at`` (ISO 8601)
    fixes the timestamp, for reproducible output; default: now, UTC.
    """
    out = doc.model_copy(deep=True)
    stamp = created_at or _now()
    for block in out.blocks:
        if isinstance(block, ListBlock):
            kind = "list"
        elif isinstance(block, Paragraph) and block.role in ("body", "quote"):
            kind = "paragraph"
        else:
            continue
        existing = [a for a in block.adaptations if a.kind == "easy_read"]
        if any(a.provenance.reviewed_by for a in existing):
            continue
        if kind == "list":
            adaptation = adapt_list(block, out.block_lang(block), stamp)
        else:
            adaptation = adapt_paragraph(block, out.block_lang(block), settings, stamp)
        kept = [
            a for a in block.adaptations if not (a.kind == "easy_read" and a.provenance.engine == "offline")
        ]
        block.adaptations = kept + ([adaptation] if adaptation else [])
    return out
