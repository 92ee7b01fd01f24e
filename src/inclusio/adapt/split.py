"""Syntactic sentence splitting for the offline easy-to-read pass (French, spaCy ``fr_core_news_sm``).

:func:`split_once` takes one long French sentence and, when it finds a construction it can take
out, returns two or more grammatical sentences that each keep a subject. The constructions, in
the order they are tried:

* **parentheses** with a clause or a noun phrase inside: "La chlorophylle (un pigment vert)
  capte la lumière." -> "La chlorophylle capte la lumière." / "Cette chlorophylle est un pigment vert.";
* **non-restrictive relative clauses** (after a comma) with ``qui``, ``lequel`` (and its forms),
  ``dont``, ``où``: the antecedent is repeated with a demonstrative ("Le document, lequel a été
  distribué tard, a permis X." -> "Le document a permis X." / "Ce document a été distribué tard.");
  ``dont`` becomes "de ce ...", ``où`` becomes "Dans ce ..." (or "Cette année-là" for time nouns);
* **concessive clauses** (``bien que``, ``quoique``, ``même si``): the clause becomes its own sentence
  (the subjunctive put back in the indicative, "ayant"/"étant" made finite with the main subject),
  and the main clause follows with "Pourtant," unless it already says so (néanmoins, cependant...);
* **appositions**: "Marie Curie, une physicienne française, a découvert le radium." ->
  "Marie Curie a découvert le radium." / "Marie Curie est une physicienne française.";
* **causal clauses** (``car``, ``parce que``, ``puisque``): "X, car Y." -> "X." / "C'est parce que Y.";
  "Parce que Y, X." -> "Y." / "C'est pourquoi X.";
* **coordinated main clauses** (``, et``, ``mais``, ``, or``, ``, donc``, ``, puis``) when the second
  part is a clause: it keeps its own subject, or gets the first clause's subject repeated; the
  conjunction becomes an adverb ("Pourtant,", "C'est pourquoi", "Ensuite,") or is dropped (et, or),
  so no sentence starts with a bare conjunction;
* **two main clauses joined by a comma** ("X, elles ne sont pas Y" -> "X." / "Elles ne sont pas Y."),
  when the first is a main clause (not "Si X, il Y") and a subject pronoun opens the second;
* **an example ending the sentence** ("X, comme par exemple Y." -> "X." / "Par exemple : Y.");
* **a cause or means between commas** ("X, grâce à Y, Z." -> "X Z." / "C'est grâce à Y."; also
  ``à cause de``).

No word of the source is dropped except the relative pronoun, the conjunction or the subordinator
that the new sentence replaces (and the "comme" of "comme par exemple"); numbers and names stay. The small French model's parse is noisy,
so the parse is used for what it is good at (parts of speech, morphology, the subject) and the
clause boundaries come from commas and marker words. Without the model, :func:`split_once`
returns None and the caller's rules apply.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING

from inclusio.analysis.nlp import lemma, load_pipeline

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

MIN_WORDS = 3
SUBJECT_PRONOUNS = {
    "il": "il",
    "elle": "elle",
    "ils": "ils",
    "elles": "elles",
    "on": "on",
    "nous": "nous",
    "vous": "vous",
    "je": "je",
    "tu": "tu",
    "c'": "cela",
    "c’": "cela",
    "ce": "cela",
    "ça": "cela",
    "cela": "cela",
}
"""A split never makes a sentence shorter than this (in words)."""
REL_SUBJECT = frozenset({"qui", "lequel", "laquelle", "lesquels", "lesquelles"})
SUBORDINATORS = (
    "bien que",
    "bien qu'",
    "bien qu’",
    "quoique",
    "quoiqu'",
    "quoiqu’",
    "même si",
    "même s'",
    "même s’",
    "lorsque",
    "lorsqu'",
    "lorsqu’",
    "quand",
    "si ",
    "s'il",
    "s’il",
    "parce que",
    "parce qu'",
    "parce qu’",
    "puisque",
    "puisqu'",
    "puisqu’",
    "alors que",
    "tandis que",
)
CONCESSIVE = (
    "bien que ",
    "bien qu'",
    "bien qu’",
    "quoique ",
    "quoiqu'",
    "quoiqu’",
    "même si ",
    "même s'",
    "même s’",
)
ALREADY_CONCEDES = (
    "néanmoins",
    "pourtant",
    "cependant",
    "toutefois",
    "quand même",
    "malgré tout",
    "malgré cela",
)
TIME_NOUNS = frozenset(
    {
        "année",
        "an",
        "jour",
        "moment",
        "époque",
        "période",
        "date",
        "mois",
        "siècle",
        "heure",
        "semaine",
        "saison",
        "instant",
        "soir",
        "matin",
        "nuit",
        "décennie",
        "temps",
    }
)
MONTHS = frozenset(
    {
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    }
)
NOT_PREDICATE_START = frozenset(
    {
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
        "à",
        "au",
        "aux",
        "dans",
        "et",
        "ou",
        "mais",
        "pour",
        "par",
        "sur",
        "avec",
        "sans",
        "car",
        "donc",
        "or",
        "puis",
        "qui",
        "que",
        "qu'",
        "qu’",
        "dont",
        "où",
    }
)
NOT_CLAUSE_START = frozenset(
    {
        "qui",
        "que",
        "qu'",
        "qu’",
        "dont",
        "où",
        "lequel",
        "laquelle",
        "lesquels",
        "lesquelles",
        "si",
        "quand",
        "lorsque",
        "lorsqu'",
        "lorsqu’",
        "pas",
        "plutôt",
        "non",
    }
)
CLITICS = frozenset(
    {
        "se",
        "s'",
        "s’",
        "ne",
        "n'",
        "n’",
        "y",
        "en",
        "le",
        "la",
        "les",
        "l'",
        "l’",
        "lui",
        "leur",
        "me",
        "m'",
        "m’",
        "te",
        "t'",
        "t’",
        "nous",
        "vous",
    }
)
FINITE_FORMS = frozenset(
    {
        "est",
        "sont",
        "a",
        "ont",
        "était",
        "étaient",
        "sera",
        "seront",
        "avait",
        "avaient",
        "peut",
        "peuvent",
        "doit",
        "doivent",
        "fait",
        "font",
        "va",
        "vont",
        "fut",
        "furent",
    }
)
SUBJUNCTIVE = {
    "soit": "est",
    "soient": "sont",
    "ait": "a",
    "aient": "ont",
    "puisse": "peut",
    "puissent": "peuvent",
    "fasse": "fait",
    "fassent": "font",
    "aille": "va",
    "aillent": "vont",
    "sache": "sait",
    "sachent": "savent",
    "veuille": "veut",
    "veuillent": "veulent",
    "vienne": "vient",
    "prenne": "prend",
    "doive": "doit",
    "fût": "était",
    "eût": "avait",
    "puissiez": "pouvez",
    "puissions": "pouvons",
    "soyez": "êtes",
    "soyons": "sommes",
    "ayez": "avez",
    "ayons": "avons",
    "fassiez": "faites",
    "permette": "permet",
    "permettent": "permettent",
    "mette": "met",
    "connaisse": "connaît",
    "dise": "dit",
    "écrive": "écrit",
    "lise": "lit",
    "vive": "vit",
    "suive": "suit",
    "contienne": "contient",
    "obtienne": "obtient",
    "appreniez": "apprenez",
    "familiarisiez": "familiarisez",
}
# Coordinating conjunction -> the words that start the second sentence instead ("" drops it).
COORDINATION = {"et": "", "mais": "Pourtant,", "or": "", "donc": "C'est pourquoi", "puis": "Ensuite,"}
_VOWEL = re.compile(r"^[aeiouyàâäéèêëîïôöùûüœh]", re.IGNORECASE)
_VERB_ENDING = re.compile(r"(?:e|es|ent|it|ait|aient|ont|a|ut|ra|ront)$")
_TERMINAL = re.compile(r"[.!?…]+[»\"'”’)\]]*$")


def words(text: str) -> list[str]:
    return [w for w in text.split() if any(ch.isalnum() for ch in w)]


def capitalise(text: str) -> str:
    """``text`` stripped, its first letter upper-case (a leading digit or symbol leaves it as it is)."""
    return capitalise_first(text.strip())


def capitalise_first(text: str) -> str:
    """The first letter of ``text`` upper-case, nothing else changed (a leading digit stops it)."""
    for i, ch in enumerate(text):
        if ch.isalpha():
            return text[:i] + ch.upper() + text[i + 1 :]
        if ch.isalnum():
            break
    return text


def end_sentence(text: str, mark: str = ".") -> str:
    text = text.strip().rstrip(",;").rstrip()
    if not text:
        return text
    return text if text[-1] in ".!?…:" else text + (mark or ".")


def _lower_first(span_text: str, first: Token) -> str:
    """Lower-case the first letter unless the first word is a name or an acronym."""
    if first.pos_ == "PROPN" or first.text.isupper() or (first.text[:1].isupper() and first.i > 0):
        return span_text
    return (
        span_text[:1].lower() + span_text[1:]
        if span_text[:1].isupper() and not first.text.isupper()
        else span_text
    )


@lru_cache(maxsize=256)
def _parse(text: str) -> Doc | None:
    """The parse of ``text`` (cached: a cut re-parses its parts). NER is not needed here, nor the lemmatizer
    over every token: the few lemmas the cuts read come from :func:`inclusio.analysis.nlp.lemma` (the same
    strings; the lemmatizer over every token was ~4 % of the adapt stage's profile on the 265-page manual)."""
    nlp = load_pipeline("fr")
    return None if nlp is None else nlp(text, disable=["ner", "lemmatizer"])


def parse(text: str) -> Doc | None:
    """The French parse of ``text`` (cached, without NER), or None without the spaCy model."""
    return _parse(text)


def _finite(tok: Token) -> bool:
    if tok.lower_ in FINITE_FORMS:
        return True
    if tok.pos_ not in ("VERB", "AUX"):
        return False
    form = tok.morph.get("VerbForm")
    if form == ["Fin"]:
        return True
    # The small model often calls a present tense a participle ("capte"); real participles end so.
    return form == ["Part"] and not re.search(
        r"(é|ée|és|ées|i|ie|is|ies|u|ue|us|ues|t|te|ts|tes|ant)$", tok.lower_
    )


def _has_finite(span: Span) -> bool:
    return any(_finite(t) for t in span)


def _clause_like(span: Span) -> bool:
    """A finite verb, or a subject (the small model sometimes tags the verb after it as a noun)."""
    return _has_finite(span) or any(t.dep_ in ("nsubj", "nsubj:pass") for t in span)


def _text(doc: Doc, start: int, end: int) -> str:
    """Text of tokens [start, end) with their original spacing."""
    if start >= end:
        return ""
    return doc.text[doc[start].idx : doc[end - 1].idx + len(doc[end - 1].text)]


def _body_end(doc: Doc) -> int:
    """Index after the last token that is not the final punctuation."""
    end = len(doc)
    while end > 0 and doc[end - 1].is_punct and doc[end - 1].text in ".!?…»\"'”’":
        end -= 1
    return end


def _terminal(sentence: str) -> str:
    match = _TERMINAL.search(sentence.strip())
    return match.group(0) if match else "."


def _determiner(noun: Token, next_word: str) -> str:
    number, gender = noun.morph.get("Number"), noun.morph.get("Gender")
    det = next((c for c in noun.children if c.dep_ == "det"), None)
    if det is not None and det.lower_ in ("chaque", "tout", "toute"):
        return det.lower_  # "Chaque console offre...": the determiner itself is repeated
    if not gender and det is not None:
        gender = det.morph.get("Gender")
    if number == ["Plur"] or det is not None and det.morph.get("Number") == ["Plur"]:
        return "ces"
    if gender == ["Fem"]:
        return "cette"
    return "cet" if _VOWEL.match(next_word) else "ce"


def noun_phrase(noun: Token) -> str:
    """The noun (with the adjectives next to it) as a short subject: "ce questionnaire", "Marie Curie"."""
    doc = noun.doc
    if noun.pos_ == "PROPN" or noun.text[:1].isupper() and noun.i > 0:
        start = noun.i
        while start > 0 and (
            doc[start - 1].pos_ == "PROPN"
            or doc[start - 1].dep_ == "flat:name"
            or doc[start - 1].text[:1].isupper()
            and not doc[start - 1].is_punct
            and start - 1 > 0
        ):
            start -= 1
        end = noun.i + 1
        while end < len(doc) and (doc[end].dep_ == "flat:name" or doc[end].pos_ == "PROPN"):
            end += 1
        name = _text(doc, start, end)
        if start > 0 and doc[start - 1].lower_ in ("le", "la", "les", "l'", "l’"):
            name = doc[start - 1].text + ("" if doc[start - 1].text.endswith(("'", "’")) else " ") + name
        return name
    start = noun.i
    while start > 0 and doc[start - 1].pos_ == "ADJ" and doc[start - 1].head.i == noun.i:
        start -= 1
    det = next((c for c in noun.children if c.dep_ == "det" and c.i < start), None)
    if det is not None and noun.i - det.i <= 3 and all(t.is_alpha for t in doc[det.i + 1 : start]):
        # Words between the noun's determiner and the noun are its own: "Le jardin botanique"
        # (the small model sometimes takes "jardin" for a modifier of "botanique").
        start = det.i + 1
    end = noun.i + 1
    while end < len(doc) and doc[end].pos_ == "ADJ" and doc[end].head.i == noun.i and doc[end].dep_ == "amod":
        end += 1
    core = _text(doc, start, end)
    return f"{_determiner(noun, core)} {core}"


def _subject(doc: Doc, start: int = 0, end: int | None = None) -> str | None:
    """The subject of the clause in tokens [start, end), as a phrase that can start a sentence."""
    end = len(doc) if end is None else end
    candidates = [
        t
        for t in doc[start:end]
        if t.dep_ in ("nsubj", "nsubj:pass") and (t.pos_ in ("NOUN", "PROPN") or t.lower_ in SUBJECT_PRONOUNS)
    ]
    if (
        not candidates
        and end - start > 2
        and (doc[start].pos_ == "DET" and doc[start + 1].pos_ == "NOUN" or doc[start].pos_ == "PROPN")
    ):
        candidates = [
            doc[start + 1] if doc[start].pos_ == "DET" else doc[start]
        ]  # a sentence-initial noun phrase
    if not candidates:
        return None
    tok = candidates[0]
    if tok.pos_ not in ("NOUN", "PROPN"):
        return SUBJECT_PRONOUNS[tok.lower_]
    return noun_phrase(tok)


def _agrees(noun: Token, pronoun: Token, verb_number: list[str]) -> bool:
    for feature in ("Gender", "Number"):
        want = pronoun.morph.get(feature)
        have = noun.morph.get(feature)
        if want and have and want != have:
            return False
    have_number = noun.morph.get("Number")
    return not (verb_number and have_number and verb_number != have_number)


def _antecedent(doc: Doc, start: int, end: int, pronoun: Token, clause: Span) -> Token | None:
    """The noun a relative pronoun refers to, among tokens [start, end) before it."""
    nouns = [
        t for t in doc[start:end] if t.pos_ in ("NOUN", "PROPN") and t.lower_ not in MONTHS and not t.like_num
    ]
    if not nouns:
        return None
    if pronoun.lower_ == "dont" and not _has_finite(doc[start:end]):
        return nouns[0]  # "Le laboratoire de Grenoble, dont la version...": the subject's head noun
    if pronoun.lower_ in ("où", "dont"):
        # Not the subject of its clause: no agreement to go by; the nearest noun is the usual referent.
        last = doc[end - 1]
        return last if last.pos_ in ("NOUN", "PROPN") or last.text[:1].isupper() else nouns[-1]
    if not _has_finite(doc[start:end]):
        # "Le document envoyé en mai, lequel ..., a permis": the relative is inside the subject.
        return nouns[0]
    verb_number = next(
        (t.morph.get("Number") for t in clause if _finite(t) and t.morph.get("Person") == ["3"]), []
    )
    agreeing = [n for n in nouns if _agrees(n, pronoun, verb_number)]
    return (agreeing or nouns)[-1]


def _clause_end(doc: Doc, first: int) -> int | None:
    """Index of the comma closing a clause that starts at ``first`` (after its finite verb), else None."""
    seen_finite = False
    segment_start = first
    depth = 0
    for j in range(first, _body_end(doc)):
        tok = doc[j]
        depth += tok.text == "("
        depth -= tok.text == ")"
        if tok.text == "," and depth == 0:
            if seen_finite:
                return j
            segment_start = j + 1
            continue
        segment = _text(doc, segment_start, j + 1).lower()
        if _finite(tok) and not segment.startswith(SUBORDINATORS):
            seen_finite = True
    return None


def _continues_predicate(doc: Doc, index: int) -> bool:
    """Whether the token at ``index`` starts a predicate (the rest of a main clause after an incise)."""
    if index >= _body_end(doc):
        return False
    tok = doc[index]
    if _finite(tok) or tok.lower_ in CLITICS and tok.lower_ not in ("le", "la", "les", "l'", "l’"):
        return True
    if tok.pos_ == "ADV" and index + 1 < len(doc):
        return _continues_predicate(doc, index + 1)
    # The small model tags some present tenses as nouns ("accueille"): a lower-case word with a
    # verb ending, which is not a determiner, a preposition or a pronoun, is taken as the verb.
    if not tok.text[:1].islower() or tok.lower_ in NOT_PREDICATE_START or not _VERB_ENDING.search(tok.lower_):
        return False
    followed = index + 1 < _body_end(doc) and doc[index + 1].text != ","
    return (
        tok.pos_ == "VERB"
        or tok.pos_ in ("NOUN", "ADJ")
        and followed
        and tok.dep_ in ("ROOT", "advcl", "ccomp", "parataxis")
    )


def _join(before: str, after: str) -> str:
    return re.sub(r"\s+([,.])", r"\1", (before.rstrip().rstrip(",") + " " + after.lstrip()).strip())


# -- the constructions ---------------------------------------------------------------------------


def _relative(doc: Doc, sentence: str) -> tuple[list[str], str] | None:
    for tok in doc:
        low = tok.lower_
        if low not in REL_SUBJECT and low not in ("dont", "où") or tok.i < 2 or doc[tok.i - 1].text != ",":
            continue
        if doc[tok.i - 2].lower_ in ("ce", "c'", "c’") or tok.i + 1 >= len(doc):
            continue  # ", ce qui" is the caller's "Cela" rule
        end = _clause_end(doc, tok.i + 1)
        clause_end = end if end is not None else _body_end(doc)
        clause = doc[tok.i + 1 : clause_end]
        if not _has_finite(clause) or len(words(clause.text)) < 2:
            continue
        head = _antecedent(doc, 0, tok.i - 1, tok, clause)
        if head is None:
            continue
        np_text = noun_phrase(head)
        new = _relative_sentence(tok, clause, np_text, head)
        if new is None:
            continue
        before = _text(doc, 0, tok.i - 1)
        terminal = _terminal(sentence)
        if end is None:
            main = end_sentence(before, terminal)
        elif _continues_predicate(doc, end + 1) or not _has_finite(doc[0 : tok.i - 1]):
            # The relative sat in the subject: what follows it is the predicate (even when the
            # small model does not see the verb, "...de Lyon, montre que...").
            main = end_sentence(_join(before, _text(doc, end + 1, _body_end(doc))), terminal)
        else:
            main = end_sentence(before + ", " + _text(doc, end + 1, _body_end(doc)), terminal)
        return [main, end_sentence(capitalise(new))], low
    return None


def _relative_sentence(pronoun: Token, clause: Span, np_text: str, head: Token) -> str | None:
    low = pronoun.lower_
    if low in REL_SUBJECT:
        return f"{np_text} {clause.text}"
    if low == "où":
        if lemma(head).lower() in TIME_NOUNS or head.lower_ in TIME_NOUNS:
            return f"{np_text}-là, {clause.text}"
        if head.pos_ == "PROPN":
            return f"À {np_text}, {clause.text}"
        return f"Dans {np_text}, {clause.text}"
    # dont + a noun phrase subject: "dont la version a été publiée" -> "la version de ce X a été publiée".
    if clause[0].pos_ != "DET":
        return None
    verb = next((t for t in clause if _finite(t)), None)
    if verb is None or verb.i == clause[0].i:
        return None
    doc = clause.doc
    of = "de " + np_text
    of = re.sub(r"^de le ", "du ", of)
    of = re.sub(r"^de les ", "des ", of)
    return f"{_text(doc, clause[0].i, verb.i)} {of} {_text(doc, verb.i, clause.end)}"


def _concessive(doc: Doc, sentence: str) -> tuple[list[str], str] | None:
    lowered = doc.text.lower()
    for tok in doc:
        rest = lowered[tok.idx :]
        marker = next((m for m in CONCESSIVE if rest.startswith(m)), None)
        if marker is None or (tok.i > 0 and doc[tok.i - 1].text != ","):
            continue
        body_start = next((t.i for t in doc if t.idx >= tok.idx + len(marker.rstrip())), None)
        if body_start is None:
            continue
        end = next((j for j in range(body_start, _body_end(doc)) if doc[j].text == ","), None)
        body_end = end if end is not None else _body_end(doc)
        if body_end - body_start < 2:
            continue
        main_text = _join(
            _text(doc, 0, tok.i).rstrip(", "), _text(doc, end + 1, _body_end(doc)) if end else ""
        )
        if len(words(main_text)) < MIN_WORDS:
            continue
        main_doc = _parse(end_sentence(main_text))
        concession = _concession_sentence(doc, body_start, body_end, main_doc)
        if concession is None or main_doc is None:
            continue
        main = end_sentence(main_text, _terminal(sentence))
        if not any(word in main.lower() for word in ALREADY_CONCEDES):
            main = "Pourtant, " + _lower_first(main, main_doc[0])
        return [end_sentence(capitalise(concession)), capitalise(main)], marker.strip(" '’")
    return None


def _indicative(tok: Token) -> str:
    """A subjunctive verb in the indicative (the common irregular ones, and -isse of the 2nd group)."""
    if tok.lower_ in SUBJUNCTIVE:
        return SUBJUNCTIVE[tok.lower_]
    if (
        (tok.morph.get("Mood") == ["Sub"] or lemma(tok).endswith("ir"))
        and tok.lower_.endswith("isse")
        and len(tok.text) > 5
    ):
        return tok.text[:-3] + "t"  # fournisse -> fournit, remplisse -> remplit
    return tok.text


def _concession_sentence(doc: Doc, start: int, end: int, main_doc: Doc | None) -> str | None:
    body = doc[start:end]
    first = body[0].lower_
    subject = _subject(main_doc) if main_doc is not None else None
    subjectless = first in ("ayant", "étant") or body[0].pos_ in ("ADJ", "VERB") and not _has_finite(body)
    if not subjectless:
        if not _clause_like(body) and not has_clause(body.text, "fr"):
            return None  # has_clause: a fresh parse of the clause alone, and the small model's usual misses
        text = "".join(_indicative(t) + t.whitespace_ for t in body).strip()
        if first in ("il", "elle", "ils", "elles") and subject and start <= 3 and not subject[:1].islower():
            # "Bien qu'il soit en retard, Paul réussit": the pronoun announces the main subject.
            text = subject + text[len(first) :]
        return text
    if subject is None:
        return None
    if subject is None:
        return None
    subject_tok = next((t for t in main_doc if t.dep_ in ("nsubj", "nsubj:pass")), None)
    plural = subject_tok is not None and subject_tok.morph.get("Number") == ["Plur"]
    if first == "ayant":
        verb, rest = ("ont" if plural else "a"), _text(doc, start + 1, end)
    elif first == "étant":
        verb, rest = ("sont" if plural else "est"), _text(doc, start + 1, end)
    else:
        verb, rest = ("sont" if plural else "est"), body.text
    return f"{subject} {verb} {rest}"


def _apposition(doc: Doc, sentence: str) -> tuple[list[str], str] | None:
    commas = [t.i for t in doc if t.text == ","]
    if len(commas) < 1:
        return None
    first = commas[0]
    head_span = doc[0:first]
    if _has_finite(head_span) or not head_span or head_span[0].pos_ not in ("DET", "PROPN", "NOUN"):
        return _final_apposition(doc, sentence, commas)
    if len(commas) < 2:
        return None
    second = commas[1]
    app = doc[first + 1 : second]
    if (
        not app
        or _has_finite(app)
        or app[0].pos_ not in ("DET", "NOUN")
        or not _continues_predicate(doc, second + 1)
    ):
        return None
    if any(t.pos_ == "CCONJ" for t in app) or app[0].lower_ in ("ce", "cela", "ceci"):
        return None  # "Les forêts, les prairies et les océans stockent": an enumeration, not an apposition
    if any(t.text.startswith(("-t", "-il", "-elle", "-on", "-ils", "-elles")) for t in app):
        return None  # "X, pense-t-il, diminue": an inverted verb (who says it), not an apposition
    head = next((t for t in head_span if t.pos_ in ("NOUN", "PROPN")), None)
    if head is None:
        return None
    subject = head_span.text if len(words(head_span.text)) <= 4 else noun_phrase(head)
    be = "sont" if head.morph.get("Number") == ["Plur"] else "est"
    main = end_sentence(_join(head_span.text, _text(doc, second + 1, _body_end(doc))), _terminal(sentence))
    return [capitalise(main), end_sentence(capitalise(f"{subject} {be} {app.text}"))], "apposition"


def _final_apposition(doc: Doc, sentence: str, commas: list[int]) -> tuple[list[str], str] | None:
    last = commas[-1]
    app = doc[last + 1 : _body_end(doc)]
    if app and app[0].lower_ == "soit" and len(app) > 2 and not _has_finite(app) and _has_finite(doc[0:last]):
        # "X mesure 5 micromètres, soit un dixième d'un cheveu." -> "C'est un dixième d'un cheveu."
        return [
            end_sentence(doc[0:last].text, _terminal(sentence)),
            end_sentence("C'est " + app[1:].text),
        ], "soit"
    if not app or app[0].lower_ not in ("un", "une", "des") or _has_finite(app) or len(commas) > 1:
        return None
    if any(t.pos_ == "CCONJ" for t in app):
        return None
    before = doc[0:last]
    head = doc[last - 1] if last > 0 else None
    while head is not None and head.pos_ == "ADJ" and head.i > 0:
        head = doc[head.i - 1]
    if head is None or head.pos_ not in ("NOUN", "PROPN") or not _has_finite(before):
        return None
    be = "sont" if head.morph.get("Number") == ["Plur"] else "est"
    return [
        end_sentence(before.text, _terminal(sentence)),
        end_sentence(capitalise(f"{noun_phrase(head)} {be} {app.text}")),
    ], "apposition"


def _that_is(doc: Doc, sentence: str) -> tuple[list[str], str] | None:
    """ "Les organismes chlorophylliens, c'est-à-dire les plantes et les algues, transforment..."."""
    match = re.search(r",\s*c['’]est-à-dire\s+", doc.text)
    if match is None:
        return None
    comma = next((t for t in doc if t.idx == match.start()), None)
    start = next((t.i for t in doc if t.idx >= match.end()), None)
    if comma is None or start is None or comma.i == 0:
        return None
    end = next(
        (j for j in range(start, _body_end(doc)) if doc[j].text == "," and _continues_predicate(doc, j + 1)),
        None,
    )
    inner = doc[start : end if end is not None else _body_end(doc)]
    head = doc[comma.i - 1]
    if _has_finite(inner) or head.pos_ not in ("NOUN", "PROPN", "ADJ") or len(inner) < 2:
        return None
    while head.pos_ == "ADJ" and head.i > 0:
        head = doc[head.i - 1]
    if head.pos_ not in ("NOUN", "PROPN"):
        return None
    after = _text(doc, end + 1, _body_end(doc)) if end is not None else ""
    main = end_sentence(_join(_text(doc, 0, comma.i), after), _terminal(sentence))
    be = "sont" if head.morph.get("Number") == ["Plur"] else "est"
    return [main, end_sentence(capitalise(f"{noun_phrase(head)} {be} {inner.text}"))], "c'est-à-dire"


_PREP_REL = re.compile(
    r"\b(?:par|dans|sur|pour|avec|sans|selon|vers|sous|chez|contre|grâce à|à partir de) "
    r"(?:lequel|laquelle|lesquels|lesquelles)\b",
    re.IGNORECASE,
)


def _prepositional_relative(doc: Doc, sentence: str) -> tuple[list[str], str] | None:
    """ "un processus par lequel les plantes transforment X" -> "...un processus." / "Par ce processus, les plantes..."."""
    match = _PREP_REL.search(doc.text)
    if match is None:
        return None
    prep = next((t for t in doc if t.idx == match.start()), None)
    if prep is None or prep.i == 0:
        return None
    pronoun = next(t for t in doc if t.idx + len(t.text) == match.end())
    head = doc[prep.i - 1]
    while head.pos_ == "ADJ" and head.i > 0:
        head = doc[head.i - 1]
    if head.pos_ not in ("NOUN", "PROPN"):
        return None
    end = _clause_end(doc, pronoun.i + 1)
    clause_end = end if end is not None else _body_end(doc)
    clause = doc[pronoun.i + 1 : clause_end]
    if not _clause_like(clause) or len(words(clause.text)) < MIN_WORDS:
        return None
    if any(
        t.pos_ == "CCONJ" and t.i + 1 < clause.end and doc[t.i + 1].pos_ in ("DET", "PRON") for t in clause
    ):
        return None  # "pour lequel il a été créé et cet utilisateur est...": the coordination is cut first
    before = _text(doc, 0, prep.i)
    if end is not None:
        before = (
            _join(before, _text(doc, end + 1, _body_end(doc))) if _continues_predicate(doc, end + 1) else None
        )
    if before is None:
        return None
    lead = doc.text[match.start() : pronoun.idx].strip()
    new = f"{lead[:1].upper()}{lead[1:]} {noun_phrase(head)}, {clause.text}"
    return [end_sentence(before, _terminal(sentence)), end_sentence(new)], lead.split()[0].lower() + " lequel"


STATE_PARTICIPLES = frozenset(
    {
        "aller",
        "venir",
        "arriver",
        "partir",
        "naître",
        "mourir",
        "entrer",
        "sortir",
        "rester",
        "tomber",
        "devenir",
        "revenir",
        "parvenir",
        "apparaître",
        "décéder",
        "situer",
        "composer",
        "constituer",
        "baser",
        "fonder",
        "lier",
        "destiner",
        "adapter",
        "placer",
        "installer",
        "équiper",
        "formé",
        "former",
        "consacrer",
        "dédier",
        "réserver",
    }
)
_ARGUMENT_START = frozenset(
    {
        "que",
        "qu'",
        "qu’",
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
        "à",
        "au",
        "aux",
        "en",
        "dans",
        "sur",
        "pour",
        "par",
        "avec",
        "plus",
        "moins",
        "très",
        "aussi",
        "bien",
        "toujours",
        "souvent",
        "ce",
        "cette",
        "ces",
        "son",
        "sa",
        "ses",
        "leur",
        "leurs",
        "chaque",
        "tous",
        "toutes",
    }
)


def _predicate_after_participle(doc: Doc, start: int) -> int | None:
    """Where the main predicate starts after a participle phrase in the subject (token index), else None."""
    for j in range(start, _body_end(doc) - 1):
        tok, prev, nxt = doc[j], doc[j - 1], doc[j + 1]
        if tok.text == ",":
            return j + 1 if _continues_predicate(doc, j + 1) else None
        if (_finite(tok) or tok.dep_ == "ROOT" and tok.pos_ != "NUM") and prev.pos_ not in ("ADP", "DET"):
            return j
        # The small model misses some verbs after a name ("...de Lyon montre que..."): a
        # lower-case word with a verb ending, right after a noun, and followed by its object.
        if (
            tok.text[:1].islower()
            and _VERB_ENDING.search(tok.lower_)
            and prev.pos_ in ("NOUN", "PROPN", "NUM")
            and not prev.is_punct
            and nxt.lower_ in _ARGUMENT_START
            and tok.lower_ not in NOT_PREDICATE_START
        ):
            return j
    return None


def _participial(doc: Doc, sentence: str) -> tuple[list[str], str] | None:
    """A participle phrase in the subject becomes its own sentence.

    "Le questionnaire envoyé aux étudiants en mai montre X." -> "Le questionnaire montre X." /
    "Ce questionnaire a été envoyé aux étudiants en mai."
    """
    for tok in doc[:6]:
        if tok.morph.get("VerbForm") != ["Part"] or tok.morph.get("Tense") != ["Past"] or tok.i < 2:
            continue
        head = doc[tok.i - 1]
        if head.pos_ not in ("NOUN", "PROPN") or _has_finite(doc[0 : tok.i]):
            return None
        # "Les fichiers diversions fournis par...": the noun the participle agrees with.
        agreeing = [n for n in doc[0 : tok.i] if n.pos_ in ("NOUN", "PROPN") and _agrees(n, tok, [])]
        head = agreeing[-1] if agreeing else head
        start = _predicate_after_participle(doc, tok.i + 2)
        if start is None:
            return None
        phrase = _text(doc, tok.i, start).rstrip(" ,")
        if len(words(phrase)) < MIN_WORDS:
            return None
        plural = head.morph.get("Number") == ["Plur"]
        if lemma(tok).lower() in STATE_PARTICIPLES:
            aux = "sont" if plural else "est"
        else:
            aux = "ont été" if plural else "a été"
        main = end_sentence(
            _join(_text(doc, 0, tok.i), _text(doc, start, _body_end(doc))), _terminal(sentence)
        )
        return [
            capitalise(main),
            end_sentence(capitalise(f"{noun_phrase(head)} {aux} {phrase}")),
        ], "participe"
    return None


def _parenthesis(doc: Doc, sentence: str) -> tuple[list[str], str] | None:
    for tok in doc:
        if tok.text != "(":
            continue
        close = next((t.i for t in doc[tok.i + 1 :] if t.text == ")"), None)
        if close is None:
            return None
        inner = doc[tok.i + 1 : close]
        if len(words(inner.text)) < 3 or inner[0].is_punct:
            continue  # "(« stable », « testing »...)": a list of quoted names, not a sentence
        main = end_sentence(
            _join(_text(doc, 0, tok.i), _text(doc, close + 1, _body_end(doc))), _terminal(sentence)
        )
        if main.count("(") != main.count(")"):
            return None
        own_subject = any(
            t.dep_ in ("nsubj", "nsubj:pass") and t.morph.get("PronType") != ["Rel"] for t in inner
        )
        starts_with_subject = inner[0].pos_ in ("DET", "PROPN", "NOUN") or inner[0].lower_ in SUBJECT_PRONOUNS
        if (
            _has_finite(inner)
            and own_subject
            and starts_with_subject
            or inner[0].morph.get("Mood") == ["Imp"]
        ):
            return [main, end_sentence(capitalise(inner.text))], "parenthèses"
        before = doc[tok.i - 1] if tok.i > 0 else None
        if (
            inner[0].lower_ in ("un", "une", "des")
            and before is not None
            and before.pos_ in ("NOUN", "PROPN")
            and not re.search(r"(é|ée|és|ées)$", before.lower_)
        ):
            be = "sont" if before.morph.get("Number") == ["Plur"] else "est"
            return [main, end_sentence(capitalise(f"{noun_phrase(before)} {be} {inner.text}"))], "parenthèses"
    return None


def _causal(doc: Doc, sentence: str) -> tuple[list[str], str] | None:
    lowered = doc.text.lower()
    for tok in doc:
        rest = lowered[tok.idx :]
        marker = next(
            (
                m
                for m in ("parce que ", "parce qu'", "parce qu’", "puisque ", "puisqu'", "puisqu’", "car ")
                if rest.startswith(m)
            ),
            None,
        )
        if marker is None or marker == "car " and tok.pos_ not in ("CCONJ", "SCONJ") and tok.i == 0:
            continue
        after_idx = tok.idx + len(marker)
        after_tok = next((t.i for t in doc if t.idx >= after_idx), None)
        if after_tok is None:
            continue
        if tok.i == 0:
            comma = next((j for j in range(after_tok, _body_end(doc)) if doc[j].text == ","), None)
            if comma is None or not _clause_like(doc[after_tok:comma]):
                continue
            cause = capitalise(_text(doc, after_tok, comma))
            effect = _text(doc, comma + 1, _body_end(doc))
            if len(words(effect)) < MIN_WORDS:
                continue
            return [
                end_sentence(cause),
                end_sentence("C'est pourquoi " + effect, _terminal(sentence)),
            ], marker.strip(" '’")
        before = _text(doc, 0, tok.i)
        cause = _text(doc, after_tok, _body_end(doc))
        if (
            len(words(before)) < MIN_WORDS
            or len(words(cause)) < MIN_WORDS
            or not _clause_like(doc[after_tok:])
        ):
            continue
        lead = (
            "C'est parce qu'"
            if _VOWEL.match(cause) and not cause.lower().startswith("h")
            else "C'est parce que "
        )
        return [
            end_sentence(capitalise(before)),
            end_sentence(lead + cause, _terminal(sentence)),
        ], marker.strip(" '’")
    return None


def _coordination(doc: Doc, sentence: str) -> tuple[list[str], str] | None:
    for tok in doc:
        low = tok.lower_
        if low not in COORDINATION or tok.i < 2:
            continue
        if (
            doc[tok.i - 1].text != ","
            and low != "mais"
            and not (
                low == "et"
                and tok.i + 2 < len(doc)
                and (
                    _finite(doc[tok.i + 1])
                    or doc[tok.i + 1].lower_ in ("il", "elle", "ils", "elles", "on", "nous", "vous")
                    or doc[tok.i + 1].lower_ in CLITICS
                    and _VERB_ENDING.search(doc[tok.i + 2].lower_)
                )
            )
        ):
            continue
        if (
            low == "mais"
            and tok.i + 1 < len(doc)
            and doc[tok.i + 1].lower_ in ("aussi", "également", "encore")
        ):
            continue
        before = _text(doc, 0, tok.i).rstrip(", ")
        second = _text(doc, tok.i + 1, _body_end(doc))
        if before.lower().startswith((*SUBORDINATORS, "pour que", "pour qu", "afin que", "afin qu")):
            continue  # "Pour que MC modifie X, et ...": the first part is not a main clause
        if (
            len(words(before)) < MIN_WORDS
            or len(words(second)) < MIN_WORDS
            or not _has_finite(doc[0 : tok.i])
        ):
            continue
        second_doc = _parse(end_sentence(second))
        if second_doc is None:
            return None
        new = _second_clause(second_doc, second, doc, tok.i)
        if new is None:
            continue
        adverb = COORDINATION[low]
        if low == "mais" and re.search(r"\b(?:aussi|également)\b", second):
            adverb = ""  # "X, mais il sert aussi de Y": additive, the "aussi" says it
        if adverb:
            new = f"{adverb} {_lower_first(new, second_doc[0]) if new.startswith(second) else new}"
        return [end_sentence(capitalise(before)), end_sentence(capitalise(new), _terminal(sentence))], low
    return None


def _second_clause(second_doc: Doc, second: str, doc: Doc, conj: int) -> str | None:
    """The second conjunct as a sentence with a subject, or None when it is not a clause."""
    verb = next((t for t in second_doc if _finite(t)), None)
    if verb is None or second_doc[0].lower_ in NOT_CLAUSE_START:
        return None
    if second_doc[0].pos_ in ("VERB", "AUX") and (
        second_doc[0].morph.get("Mood") == ["Imp"] or second_doc[0].morph.get("Person") == ["2"]
    ):
        return second  # an instruction: "..., et pressez la touche Entrée" -> "Pressez la touche Entrée."
    if second_doc[0].lower_ in ("vous", "nous"):
        # "Cela vous donne X et vous présente Y": "vous" is the object, the subject is the first clause's.
        subject = _subject(doc, 0, conj)
        if subject is not None and subject.lower() not in ("vous", "nous"):
            return f"{subject} {second}"
    first_comma = next((t.i for t in second_doc if t.text == ","), len(second_doc))
    if any(
        t.dep_ in ("nsubj", "nsubj:pass", "expl:subj")
        and t.i < min(verb.i, first_comma)
        and t.morph.get("PronType") != ["Rel"]
        for t in second_doc
    ):
        return second
    starts_predicate = (
        _finite(second_doc[0]) or second_doc[0].lower_ in CLITICS or second_doc[0].pos_ == "ADV"
    )
    if not starts_predicate:
        return None
    subject = _subject(doc, 0, conj)
    if subject is None:
        return None
    return f"{subject} {second}"


def _balanced(part: str, source: str) -> bool:
    """A part does not open a quote or a bracket it does not close (when the source closes its own)."""
    return all(
        part.count(a) == part.count(b) or source.count(a) != source.count(b)
        for a, b in (("«", "»"), ("(", ")"))
    )


def has_clause(sentence: str, lang: str) -> bool:
    """Whether ``sentence`` is a clause (a finite verb or a subject), not a bare noun phrase.

    True for languages without a parser here (nothing to judge with).
    """
    if lang != "fr":
        return True
    doc = _parse(sentence)
    if doc is None or _clause_like(doc[:]):
        return True
    # The small model sometimes tags a plural verb after its subject as an adverb ("Les herbivores
    # mangent les plantes"): a word in -ent (not -ment) right after a noun or a pronoun is taken as one.
    if any(
        t.i > 0
        and t.lower_.endswith("ent")
        and not t.lower_.endswith("ment")
        and len(t.text) > 4
        and doc[t.i - 1].pos_ in ("NOUN", "PROPN", "PRON")
        for t in doc
    ):
        return True
    # "Le glucose sert de réserve", "La plante le stocke": after a sentence-initial noun phrase, a
    # clitic or a lower-case word that is not a preposition, a determiner or a conjunction is the verb.
    i = 1 if doc[0].pos_ == "DET" else 0
    if i >= len(doc) or doc[i].pos_ not in ("NOUN", "PROPN"):
        return False
    i += 1
    while i < len(doc) and doc[i].pos_ == "PROPN":  # the small model's adjective/verb tags are too noisy here
        i += 1
    if i >= len(doc) - 1:
        return False
    nxt = doc[i]
    return nxt.lower_ in CLITICS or (
        nxt.text[:1].islower()
        and not nxt.is_punct
        and nxt.pos_ not in ("ADP", "DET", "CCONJ", "SCONJ", "NUM")
    )


SPLICE_SUBJECTS = frozenset({"il", "elle", "ils", "elles", "on", "nous", "vous", "cela", "ça", "ceci"})
"""Subject pronouns that open a second main clause after a comma ("X, elles ne sont pas Y")."""


def _main_clause(doc: Doc, end: int) -> bool:
    """Tokens [0, end) are a main clause: a finite verb, and no subordinator opening it."""
    before = _text(doc, 0, end)
    if before.lower().startswith((*SUBORDINATORS, "pour que", "pour qu", "afin que", "afin qu", "comme ")):
        return False
    return _has_finite(doc[0:end])


def _verb_after_subject(tok: Token) -> bool:
    """The word after a subject pronoun (and its clitics) is its verb: finite, or a lower-case word
    the small model mistagged ("il les étiquette" gives "étiquette" as a noun)."""
    if _finite(tok):
        return True
    return (
        tok.is_alpha and tok.text.islower() and tok.pos_ not in ("ADP", "DET", "NUM", "CCONJ", "SCONJ", "ADV")
    )


def _comma_splice(doc: Doc, sentence: str) -> tuple[list[str], str] | None:
    """Two main clauses joined by a comma only: "X a été choisi pour Y, il n'est pas Z." -> two sentences.

    The second clause opens on a subject pronoun followed (after clitics or "ne") by a finite verb;
    the first is a main clause (not "Si X, il Y", "Quand X, elle Y"), so each keeps its subject.
    """
    for tok in doc:
        if tok.text != "," or tok.i < MIN_WORDS or tok.i + 2 >= len(doc):
            continue
        pronoun = doc[tok.i + 1]
        if pronoun.lower_ not in SPLICE_SUBJECTS:
            continue
        j = tok.i + 2
        while j < len(doc) and (doc[j].lower_ in CLITICS or doc[j].lower_ in ("ne", "n'", "n’")):
            j += 1
        if j >= len(doc) or not _verb_after_subject(doc[j]) or not _main_clause(doc, tok.i):
            continue
        window = doc[max(0, tok.i - 12) : tok.i]
        restrictive = any(t.lower_ in ("ne", "n'", "n’") for t in window)  # "ne ... que" is not a clause
        if any(
            (t.pos_ == "SCONJ" and not (restrictive and t.lower_ in ("que", "qu'", "qu’")))
            or "Rel" in t.morph.get("PronType")
            for t in window
        ):
            continue  # "X que Y, il Z": the comma may close a subordinate clause
        before = _text(doc, 0, tok.i)
        second = _text(doc, tok.i + 1, _body_end(doc))
        if len(words(before)) < MIN_WORDS or len(words(second)) < MIN_WORDS:
            continue
        return [end_sentence(capitalise(before)), end_sentence(capitalise(second), _terminal(sentence))], ","
    return None


_EXAMPLE = re.compile(r",\s+(?:comme\s+)?par\s+exemple\s*,?\s+", re.IGNORECASE)


def _example(doc: Doc, sentence: str) -> tuple[list[str], str] | None:
    """A sentence ending on its example: "X, comme par exemple « deb-src »." -> "X." / "Par exemple : « deb-src »."

    Only the last "par exemple" of the sentence, when what follows is the example alone (no comma,
    no finite verb: "..., par exemple pingouin, et pressez..." is left alone).
    """
    matches = list(_EXAMPLE.finditer(sentence))
    if not matches:
        return None
    match = matches[-1]
    body = sentence.rstrip()
    end = _TERMINAL.search(body)
    tail = body[match.end() : end.start() if end else len(body)].strip()
    before = sentence[: match.start()]
    if not tail or "," in tail or "(" in before and before.count("(") > before.count(")"):
        return None
    tail_tokens = [t for t in doc if t.idx >= match.end()]
    head_tokens = [t for t in doc if t.idx + len(t.text) <= match.start()]
    if (
        any(t.is_alpha and _finite(t) for t in tail_tokens)
        or not head_tokens
        or not _main_clause(doc, len(head_tokens))
    ):
        return None
    return [end_sentence(capitalise(before)), end_sentence(f"Par exemple : {tail}", _terminal(sentence))], (
        "par exemple"
    )


_MEANS = re.compile(
    r",\s+(?P<marker>grâce (?:aux|au|à)\b|à cause (?:des|du|de\b|d['’]))\s*(?P<phrase>[^,;:()«»]+?)\s*(?P<end>,|[.!?…]*$)",
    re.IGNORECASE,
)


def _means(doc: Doc, sentence: str) -> tuple[list[str], str] | None:
    """A cause or means set off by commas: "X donnent, grâce à la lumière, Y." -> "X donnent Y." /
    "C'est grâce à la lumière." (also "à cause de"; at the end of the sentence too)."""
    body = sentence.strip()
    for match in _MEANS.finditer(body):
        before, after = body[: match.start()], body[match.end() :] if match.group("end") == "," else ""
        main = _join(before, after) if after else before
        head_tokens = [t for t in doc if t.idx + len(t.text) <= match.start()]
        if not head_tokens or not _main_clause(doc, len(head_tokens)) or len(words(main)) < MIN_WORDS:
            continue
        marker = match.group("marker")
        glue = "" if marker.endswith(("'", "’")) else " "
        reason = f"C'est {marker[:1].lower()}{marker[1:]}{glue}{match.group('phrase').strip()}"
        return [end_sentence(capitalise(main), _terminal(sentence)), end_sentence(reason)], marker.split()[0]
    return None


OPERATIONS: tuple[Callable[[Doc, str], tuple[list[str], str] | None], ...] = (
    _parenthesis,
    _that_is,
    _relative,
    _prepositional_relative,
    _concessive,
    _apposition,
    _causal,
    _coordination,
    _participial,
    _comma_splice,
    _example,
    _means,
)
INCISES = (_parenthesis, _that_is, _relative, _prepositional_relative, _concessive, _apposition)
"""Constructions taken out even of a sentence under the limit when it comes from a long one."""


def split_once(sentence: str, lang: str, *, incises_only: bool = False) -> tuple[list[str], str] | None:
    """(sentences, label) for the first construction of ``sentence`` that can be taken out, else None.

    French only (None for other languages, or without the spaCy model). Every returned sentence
    has at least :data:`MIN_WORDS` words. ``incises_only``: try only parentheses, relatives,
    concessive clauses and appositions (for a short sentence left by an earlier split).
    """
    if lang != "fr" or len(words(sentence)) < 2 * MIN_WORDS:
        return None
    doc = _parse(sentence)
    if doc is None:
        return None
    for operation in INCISES if incises_only else OPERATIONS:
        try:
            result = operation(doc, sentence)
        except (IndexError, ValueError):  # a parse shape the rules did not expect: try the next one
            result = None
        if result and all(len(words(part)) >= MIN_WORDS and _balanced(part, sentence) for part in result[0]):
            return result
    return None


# -- last resort: restrictive relatives ------------------------------------------------------------

RESTRICTIVE_PRONOUNS = frozenset({"qui", "dont", "où"})
PRESENTATIVES = ("c'est", "c’est", "ce sont", "c'était", "c’était", "voici", "voilà")
"""A relative after one of these is a cleft ("C'est le juge qui fume"): the relative is the point."""
DETERMINERS = frozenset(
    {"le", "la", "les", "l'", "l’", "un", "une", "ce", "cet", "cette", "ces", "son", "sa", "ses"}
)
DONT_NOUNS = frozenset({"question", "besoin", "envie", "peur", "honte", "conscience", "part", "compte"})
"""Bare nouns of the verb phrases that take "de" ("il est question de", "avoir besoin de")."""


def _restrictive_head(doc: Doc, pronoun: Token) -> Token | None:
    """The noun a relative pronoun written without a comma follows directly ("au juge blond qui")."""
    tok = doc[pronoun.i - 1]
    while tok.dep_ == "amod" and tok.head.i < tok.i and tok.i > 0:
        tok = tok.head  # "juge blond": the adjective's noun
    before = doc[tok.i - 1] if tok.i > 0 else None
    noun_like = tok.pos_ in ("NOUN", "PROPN") or (
        before is not None
        and (before.pos_ == "DET" or before.lower_ in DETERMINERS)
        and tok.is_alpha
        and tok.text[:1].islower()
    )
    if not noun_like or tok.like_num or tok.lower_ in MONTHS or before is None:
        return None
    if tok.text[:1].isupper() and tok.pos_ == "PROPN" and pronoun.lower_ == "dont":
        return None  # "de Paris dont": a name's own relative, left to the reader
    if before.lower_ in DETERMINERS and tok.i > 1:
        before = doc[tok.i - 2]
    if before.lower_ not in ("de", "du", "des", "d'", "d’"):
        return tok
    # "la convention de description du paquet qui supprime": the relative may belong to any noun of the
    # chain; the parse's attachment decides, and a relative it does not attach to one of them is left.
    verb = pronoun.head
    head = verb.head if verb.dep_ == "acl:relcl" else None
    if head is None or head.i > tok.i or head.pos_ not in ("NOUN", "PROPN") and head.i != tok.i:
        return None
    between = doc[head.i + 1 : tok.i]
    if any(t.is_punct or _finite(t) or t.pos_ == "VERB" for t in between):
        return None
    return head


def _dont_sentence(clause: Span, np_text: str) -> str | None:
    """ "dont il est question dans X" -> "il est question de cet être dans X" (subject pronoun first)."""
    if clause[0].lower_ not in SUBJECT_PRONOUNS or clause[0].lower_ in ("ce", "c'", "c’", "ça", "cela"):
        return None
    doc = clause.doc
    i = clause.start + 1
    while (
        i < clause.end
        and (doc[i].lower_ in CLITICS or doc[i].pos_ in ("AUX", "ADV"))
        and not _verbish(doc[i])
    ):
        i += 1
    while i < clause.end and (_verbish(doc[i]) or doc[i].pos_ == "AUX"):
        i += 1  # the verb group: "est", "a parlé", "avons eu"
    if i == clause.start + 1:
        return None
    if i < clause.end and doc[i].lower_ in DONT_NOUNS:
        i += 1
    of = re.sub(r"^de les ", "des ", re.sub(r"^de le ", "du ", "de " + np_text))
    rest = _text(doc, i, clause.end)
    return " ".join(part for part in (_text(doc, clause.start, i), of, rest) if part)


def _verbish(tok: Token) -> bool:
    return _finite(tok) or tok.pos_ in ("VERB", "AUX") or tok.lower_ in FINITE_FORMS


def _restrictive_split(doc: Doc, sentence: str, pronoun: Token) -> list[str] | None:
    """[main, new] for one relative written without a comma whose clause ends the sentence."""
    if pronoun.i < 3 or doc[pronoun.i - 1].is_punct or pronoun.i + 2 >= _body_end(doc):
        return None
    head = _restrictive_head(doc, pronoun)
    if head is None or not _has_finite(doc[0 : head.i]):
        return None  # no main verb before it: the relative sits in the subject
    if _text(doc, 0, head.i).lower().replace("’", "'").rstrip().endswith(PRESENTATIVES) or any(
        _text(doc, 0, head.i).lower().startswith(p) for p in PRESENTATIVES
    ):
        return None
    clause = doc[pronoun.i + 1 : _body_end(doc)]
    if not _has_finite(clause) or clause.text.count("(") != clause.text.count(")"):
        return None
    np_text = noun_phrase(head)
    low = pronoun.lower_
    if low == "qui":
        new = _join(np_text, clause.text)
    elif low == "où":
        new = _relative_sentence(pronoun, clause, np_text, head)
    else:
        new = _relative_sentence(pronoun, clause, np_text, head) or _dont_sentence(clause, np_text)
    if not new:
        return None
    terminal = _terminal(sentence)
    return [end_sentence(_text(doc, 0, pronoun.i), terminal), end_sentence(capitalise(new), terminal)]


def split_restrictive(sentence: str, lang: str) -> tuple[list[str], str] | None:
    """The last resort for a French sentence too long to keep and with nothing else to cut: a relative
    written without a comma (``qui``, ``dont``, ``où``) whose clause runs to the end of the sentence
    becomes its own sentence about the repeated noun ("Portez ce whisky au juge blond qui fume sur son
    île." -> "Portez ce whisky au juge blond." / "Ce juge fume sur son île."; "l'être dont il est question
    dans la cause" -> "l'être." / "Il est question de cet être dans la cause"). Such a relative narrows
    its noun, so the caller takes it out only of a sentence that would fail T1. Among several, the
    one that leaves the longest part shortest. None when there is none, or without the model."""
    if lang != "fr" or len(words(sentence)) < 2 * MIN_WORDS:
        return None
    doc = _parse(sentence)
    if doc is None:
        return None
    best: tuple[int, list[str], str] | None = None
    for tok in doc:
        if tok.lower_ not in RESTRICTIVE_PRONOUNS:
            continue
        try:
            parts = _restrictive_split(doc, sentence, tok)
        except (IndexError, ValueError):
            parts = None
        if not parts or any(len(words(p)) < MIN_WORDS or not _balanced(p, sentence) for p in parts):
            continue
        longest = max(len(words(p)) for p in parts)
        if best is None or longest < best[0]:
            best = (longest, parts, tok.lower_)
    return (best[1], best[2]) if best else None
