"""Glossary terms and their definitions from the document itself (offline), and what a student may see.

* :func:`is_term`: a glossary term is a noun or a name, never an inflected verb or an imperative
  ("calculez", "arrondissez-la", "consommant", "respirons"). French uses the spaCy parse of the
  sentence where the word occurs (part of speech, verb form, mood), plus the forms the small
  model misses (``-ez``, a verb with a hyphenated pronoun); English keeps nouns by default and
  drops ``-ing``/``-ed`` forms.
* :func:`find_definition`: the definition the document gives itself, from these patterns (first
  match wins, in reading order): "on appelle X ...", "X désigne/signifie ...", "X, c'est-à-dire ...",
  "X est un/une ...", "X (un ...)", "X, un/une ...,", "un/une Y, le/la X" (the apposition read
  backwards), "Y appelé(e)(s) X", "X : ..." at the start of a block; English "X is a ...",
  "X means/refers to ...", "called X ...", "X (a ...)", "X, a ...,", "X: ...". A definition is
  one clause, cut at a word boundary, never in the middle of a word.
* :func:`flag_undefined`: an entry without a definition gets ``Flag(code="glossary.to_define")``:
  it stays in the Document for the staff's review and :func:`inclusio.model.view.student_glossary`
  keeps it out of every student output.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from inclusio.adapt.split import has_clause, parse
from inclusio.model.document import Document, Flag, GlossaryEntry, Heading, PageMarker, is_code
from inclusio.warning_codes import warning_text

TO_DEFINE = "glossary.to_define"
MAX_DEFINITION_WORDS = 40
_CLITIC_VERB = re.compile(
    r"^[^\W\d_]+-(?:la|le|les|lui|leur|en|y|moi|toi|nous|vous|t-il|t-elle|il|elle|on)$", re.IGNORECASE
)
_DET_FR = r"(?:un|une|des|le|la|l['’]|les)"
_DEFINITIONS = {
    "fr": [
        r"\bon appelle (?:les? |la |l['’]|un |une |des )?(?P<term>{t})\s+(?P<def>[^.;]{{8,400}})",
        r"\b(?P<term>{t})\s+(?:désigne|signifie|est appelée?s? ainsi car)\s+(?P<def>[^.;]{{8,400}})",
        r"\b(?P<term>{t}),\s+c['’]est-à-dire\s+(?P<def>[^.;]{{8,400}})",
        r"\b(?:[Ll]es? |[Ll]a |[Ll]['’]|[Uu]n |[Uu]ne )?(?P<term>{t})\s+(?:est|sont)\s+"
        r"(?P<def>(?:un|une|des|le|la|l['’]|les)\s[^.;]{{8,400}})",
        r"\b(?P<term>{t})\s*\((?P<def>(?:un|une|des|le|la|l['’]|les)\s?[^()]{{3,200}})\)",
        r"\b(?P<term>{t}),\s+(?P<def>(?:un|une)\s[^,.;()]{{3,200}})[,.;]",
        r"(?P<def>\b(?:un|une|des)\s[^,.;()]{{3,120}}),\s+" + _DET_FR + r"\s?(?P<term>{t})\s*[,.;]",
        r"(?P<def>\b(?:un|une|des|de|d['’]|les|le|la)\s?[^,.;:()]{{3,120}}?)\s+appel(?:é|ée|és|ées)\s+"
        r"(?:aussi\s+)?(?P<term>{t})\b",
        r"^\s*(?P<term>{t})\s*:\s*(?P<def>[^.;]{{8,400}})",
    ],
    "en": [
        r"\b(?P<term>{t})\s+(?:is|are)\s+(?P<def>(?:a|an|the)\s[^.;]{{8,400}})",
        r"\b(?P<term>{t})\s+(?:means|refers to)\s+(?P<def>[^.;]{{8,400}})",
        r"\bcalled (?:an? |the )?(?P<term>{t}),?\s+(?P<def>[^.;]{{8,400}})",
        r"\b(?P<term>{t})\s*\((?P<def>(?:a|an)\s[^()]{{3,200}})\)",
        r"\b(?P<term>{t}),\s+(?P<def>(?:a|an)\s[^,.;()]{{3,200}})[,.;]",
        r"^\s*(?P<term>{t})\s*:\s*(?P<def>[^.;]{{8,400}})",
    ],
}
_THAT_IS = re.compile(r",\s*c['’]est-à-dire\s[^,]*(?:,\s*(?:les|la|le|l['’]|des|certain\w*|et|ou)\s[^,]*)*,")
_NOT_A_CLAUSE = 4
"""Patterns from this index on (parentheses, appositions, "appelé") give a noun phrase, never a clause."""
_DETERMINERS = frozenset(
    [
        "le",
        "la",
        "les",
        "un",
        "une",
        "des",
        "du",
        "au",
        "aux",
        "ce",
        "cet",
        "cette",
        "ces",
        "son",
        "sa",
        "ses",
        "leur",
        "leurs",
        "mon",
        "ma",
        "mes",
        "notre",
        "nos",
        "votre",
        "vos",
        "chaque",
        "quelques",
        "plusieurs",
        "certains",
        "certaines",
    ]
)
_ENUM_DETS = (
    "le ",
    "la ",
    "les ",
    "l'",
    "l’",
    "un ",
    "une ",
    "des ",
    "du ",
    "de ",
    "d'",
    "d’",
    "certains ",
    "certaines ",
    "plusieurs ",
    "quelques ",
    "et ",
    "ou ",
    "the ",
    "a ",
    "an ",
    "and ",
    "or ",
    "some ",
)


def _lang_root(lang: str) -> str:
    return lang.split("-")[0].lower()


def is_term(word: str, sentence: str, lang: str) -> bool:
    """Whether ``word`` (as it occurs in ``sentence``) can be a glossary term: a noun or a name."""
    lower = word.lower()
    root = _lang_root(lang)
    if _CLITIC_VERB.match(word):
        return False  # "arrondissez-la", "donne-t-il"
    if root == "en":
        return not re.search(r"(?:ing|ed)$", lower)
    if root != "fr":
        return True
    if lower.endswith("ez") and len(lower) > 4:
        return False  # "calculez", "arrondissez": the 2nd person plural, an instruction
    doc = parse(sentence)
    if doc is None:
        return not re.search(r"(?:ons|ant)$", lower)
    tokens = [t for t in doc if t.lower_ == lower or t.lower_.split("'")[-1].split("’")[-1] == lower]
    if not tokens:
        return True  # the word is not where we looked: keep it, the reviewer decides
    token = tokens[0]
    before = doc[token.i - 1].lower_ if token.i > 0 else ""
    if before in _DETERMINERS or before.endswith(("'", "’")) and before[:-1] in ("l", "d"):
        return True  # "la chlorophylle", "d'amidon": a noun, whatever the tagger says
    if before in ("nous", "vous", "je", "tu", "ne", "n'", "n’", "se", "s'", "s’"):
        return False  # "que nous respirons"
    if token.pos_ in ("VERB", "AUX") and (token.morph.get("VerbForm") or token.morph.get("Mood")):
        return False  # "consommant", "calculer"
    return not (token.pos_ == "ADJ" and token.dep_ == "amod")  # "organismes chlorophylliens"


def known_variant(term: str, known: Iterable[str]) -> bool:
    """Whether the singular or the plural of ``term`` is already in ``known`` ("chloroplaste"/"chloroplastes")."""
    lower = term.lower()
    variants = {lower + "s", lower + "x"}
    if lower.endswith(("s", "x")) and len(lower) > 4:
        variants.add(lower[:-1])
    return any(k.lower() in variants for k in known)


def _clean(definition: str) -> str:
    """One clause, at most :data:`MAX_DEFINITION_WORDS` words, cut at a word boundary, capitalised, with a period."""
    text = " ".join(definition.split()).strip(" ,:;")
    text = " ".join(_THAT_IS.sub(" ", text).split())  # "les organismes, c'est-à-dire les plantes, font"
    # "c'est-à-dire les plantes, les algues et certaines bactéries, transforment...": the
    # enumeration goes on while the next part starts with a determiner or a conjunction.
    parts = text.split(", ")
    kept = [parts[0]]
    for part in parts[1:]:
        if not part.lower().startswith(_ENUM_DETS):
            break
        kept.append(part)
    text = ", ".join(kept)
    words = text.split()
    if len(words) > MAX_DEFINITION_WORDS:
        text = " ".join(words[:MAX_DEFINITION_WORDS]).rstrip(",;:") + "…"
    return text[:1].upper() + text[1:] + ("" if text.endswith(("…", ".")) else ".")


def find_definition(doc: Document, term: str) -> tuple[str, str] | None:
    """(definition, block id) where the document defines ``term`` itself, if it does."""
    escaped = re.escape(term)
    for block in doc.blocks:
        if isinstance(block, Heading | PageMarker) or is_code(block):  # code defines nothing for a reader
            continue
        text = block.plain_text()
        if term.lower() not in text.lower():
            continue
        lang = _lang_root(doc.block_lang(block))
        for index, pattern in enumerate(_DEFINITIONS.get(lang, [])):
            match = re.search(pattern.format(t=escaped), text, flags=re.IGNORECASE | re.MULTILINE)
            if not match or len(match.group("def").split()) < 2:
                continue
            if (
                index >= _NOT_A_CLAUSE
                and not pattern.lstrip().startswith("^")
                and has_clause(match.group("def"), lang)
            ):
                continue  # "Au-delà d'un certain éclairement, un autre facteur devient limitant": not an apposition
            return _clean(match.group("def")), block.id
    return None


def flag_undefined(entries: Iterable[GlossaryEntry]) -> list[GlossaryEntry]:
    """``entries`` where each one without a definition carries the ``glossary.to_define`` flag (once)."""
    out: list[GlossaryEntry] = []
    for entry in entries:
        if not (entry.definition or "").strip() and not any(f.code == TO_DEFINE for f in entry.flags):
            flag = Flag(
                code=TO_DEFINE,
                reason=warning_text(TO_DEFINE, "en", term=entry.term),
                reason_fr=warning_text(TO_DEFINE, "fr", term=entry.term),
            )
            entry = entry.model_copy(update={"flags": [*entry.flags, flag]})
        out.append(entry)
    return out
