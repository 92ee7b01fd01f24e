"""The verifier (inclusio.analysis.verify) against perturbed answers: share caught, share of faithful refused.

Cases are generated from the project's documents (samples/ and ../shared/corpus/): for every
paragraph, section, figure and hard word, a faithful answer of each pass

* rewrites (``easy_read``, ``plain``): the offline engine's rewrite of the paragraph, and
  hand-written model-like rewrites with simpler words (tests/analysis/verify_cases.py);
* ``summary``: the section's extractive key points, and hand-written key points;
* ``glossary``: a definition made of the words around the term (source: the sentence where the term
  occurs; context: the document), and hand-written definitions;
* ``alt_text``: the caption (source: caption; context: the surrounding text), and hand-written alts;
* ``translation``: a copy of the block (same language: the translation's checks read facts, not
  words), and hand-written French -> English translations;

then each perturbation of tests/llm/perturbations.py that applies to it. Printed per pass and per
kind: cases, share caught (any finding: refused, or flagged for the image passes whose added facts
may come from the picture), and for faithful answers the share refused and the share flagged.
Targets: 100 % caught for numbers, dates, names, links and instructions; >= 90 % for invented
sentences without figures; <= 5 % of faithful answers refused.

Usage: ``.venv/bin/python bench/verify.py [--max-blocks 400] [--no-corpus]``.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "llm"))
sys.path.insert(0, str(ROOT / "tests" / "analysis"))

import verify_cases as hand  # noqa: E402
from perturbations import KINDS, perturb  # noqa: E402

from inclusio.adapt.acronyms import find_acronyms  # noqa: E402
from inclusio.adapt.engine import adapt_document  # noqa: E402
from inclusio.analysis import numbers_dates as nd  # noqa: E402
from inclusio.analysis.alignment import sentence_support  # noqa: E402
from inclusio.analysis.faithfulness import adaptation_text, contains_folded  # noqa: E402
from inclusio.analysis.verify import POLICIES, Verdict, sentence_shares, verify  # noqa: E402
from inclusio.config import Settings  # noqa: E402
from inclusio.converters.base import ConvertContext  # noqa: E402
from inclusio.converters.registry import convert  # noqa: E402
from inclusio.model.document import Document, Figure, GlossaryEntry, Heading, Paragraph, Provenance  # noqa: E402
from inclusio.profiles import load_profile  # noqa: E402
from inclusio.text.sentences import split_sentences  # noqa: E402

DOCUMENTS = [
    ROOT / "samples" / n
    for n in ("cours-photosynthese-fr.pdf", "diaporama-cellule-fr.pptx", "handout-water-cycle-en.docx")
]
CORPUS = [
    ROOT.parent / "shared" / "corpus" / n
    for n in (
        "fixture-word.docx",
        "slides-fr-web-course.pptx",
        "math-fr-2col.pdf",
        "paper-2col-math-en.pdf",
        "table-census-en.pdf",
        "manual-fr-265p.pdf",
    )
]
TARGETS = {
    "number_one": "100 %",
    "date_shift": "100 %",
    "entity_swap": "100 %",
    "entity_drop": "100 %",
    "invented_fig": "100 %",
    "invented": ">= 90 %",
    "instruction": "100 %",
    "link": "100 %",
}
"""The issue's targets (docs/quality.md)."""
KEEP_ONLY = {"entity_drop"}
"""Kinds that are errors only for passes that must keep every fact."""
PROVENANCE = Provenance(engine="bench", pass_name="glossary", created_at="2024-01-01T00:00:00+00:00")


class Case:
    """One faithful answer and how to verify it."""

    def __init__(
        self,
        pass_name: str,
        lang: str,
        source: str,
        answer: str,
        *,
        context: str = "",
        glossary: dict[str, str] | None = None,
        answer_lang: str | None = None,
    ) -> None:
        self.pass_name, self.lang, self.source, self.answer = pass_name, lang, source, answer
        self.context, self.glossary = context, glossary or {}
        self.answer_lang = answer_lang or ("en" if pass_name == "translation" else lang)
        self.hand = False
        """A hand-written, model-like answer (tests/analysis/verify_cases.py)."""
        self.group = ""
        """``own`` or ``held-out`` for the model-like answers on texts of our own."""

    def run(self, answer: str) -> Verdict:
        if self.pass_name == "translation":
            entries = [
                GlossaryEntry(
                    term=t,
                    lang=self.lang,
                    translations={self.answer_lang: tr},
                    origin="model",
                    provenance=PROVENANCE,
                )
                for t, tr in self.glossary.items()
            ]
            return verify(
                self.source,
                answer,
                pass_name="translation",
                lang=self.lang,
                answer_lang=self.answer_lang,
                glossary=entries,
            )
        glossary = list(self.glossary) if self.pass_name == "glossary" else []
        return verify(
            self.source,
            answer,
            pass_name=self.pass_name,
            lang=self.lang,
            context=self.context,
            glossary=glossary,
        )


def _lang(doc: Document, block: object) -> str:
    return doc.block_lang(block).split("-")[0]  # type: ignore[arg-type]


def known_acronyms(doc: Document) -> dict[str, list[str]]:
    """The long forms of the acronyms the document defines, and the meanings inclusio's acronym lexicon
    gives the others (when that module is there), by acronym."""
    found = find_acronyms(doc)
    try:
        from inclusio.adapt.acronym_lexicon import lexicon_acronyms  # type: ignore[import-not-found]
    except ImportError:
        lexicon_acronyms = None
    if lexicon_acronyms is not None:
        found.update(lexicon_acronyms(doc, found))
    return {
        short: list(dict.fromkeys((a.long, *getattr(a, "meanings", {}).values())))
        for short, a in found.items()
    }


def block_acronyms(known: dict[str, list[str]], text: str) -> str:
    """The meanings of the acronyms a block uses: what a rewrite of that block may write out. (The whole
    document's meanings, 5.7 KB on manual-fr-265p.pdf, would support almost any word: an invented sentence
    appended to a table-of-contents line passed 13 % of the time.)"""
    return "\n".join(
        m
        for short, meanings in known.items()
        if re.search(rf"(?<!\w){re.escape(short)}(?!\w)", text)
        for m in meanings
    )


def document_cases(doc: Document, settings: Settings, max_blocks: int) -> list[Case]:
    cases: list[Case] = []
    paragraphs = [
        b for b in doc.blocks if isinstance(b, Paragraph) and b.role == "body" and len(b.text.split()) >= 8
    ][:max_blocks]
    kept = {b.id for b in paragraphs}
    small = doc.model_copy(
        update={"blocks": [b for b in doc.blocks if b.id in kept or isinstance(b, Heading)]}
    )
    easy = adapt_document(small, load_profile("easy-read", ROOT / "profiles"), settings).document
    plain = adapt_document(small, load_profile("adhd", ROOT / "profiles"), settings).document
    text = "\n".join(b.text for b in paragraphs)
    known = known_acronyms(doc)
    for block in paragraphs:
        lang = _lang(doc, block)
        for kind, adapted in (("easy_read", easy), ("plain", plain)):
            adaptation = adapted.find(block.id).adaptation(kind)
            answer = adaptation_text(adaptation) if adaptation is not None else block.text
            cases.append(Case(kind, lang, block.text, answer, context=block_acronyms(known, block.text)))
        first = split_sentences(block.text)[0] if split_sentences(block.text) else block.text
        cases.append(Case("alt_text", lang, first, first.rstrip("."), context=block.text))
        # A copy stands for a faithful translation (same language: the translation's checks read facts, not words).
        cases.append(Case("translation", lang, block.text, block.text, answer_lang=lang))
        words = [w for w in re.findall(r"[^\W\d_]{9,}", block.text) if w.islower()]
        if words:
            term = words[0]
            sentence = next((s for s in split_sentences(block.text) if term in s), block.text)
            definition = " ".join(sentence.split()[:14])
            cases.append(Case("glossary", lang, sentence, definition, context=text, glossary={term: ""}))
    for heading in easy.blocks:
        summary = heading.adaptation("summary")
        if summary is not None and summary.text:
            section = next(
                (
                    s
                    for top in doc.sections()
                    for s in top.walk()
                    if s.heading is not None and s.heading.id == heading.id
                ),
                None,
            )
            if section is not None:
                source = "\n".join(b.plain_text() for b in section.blocks if b.plain_text().strip())
                cases.append(Case("summary", _lang(doc, heading), source, summary.text))
    for index, block in enumerate(doc.blocks):
        if isinstance(block, Figure) and block.caption:
            around = " ".join(
                b.plain_text() for b in doc.blocks[max(0, index - 2) : index + 3] if b is not block
            )
            cases.append(
                Case("alt_text", _lang(doc, block), block.caption, block.caption, context=around[:400])
            )
    return cases


def hand_cases() -> list[Case]:
    cases = _hand_cases()
    for case in cases:
        case.hand = True
    return cases


def own_cases(model_like: list[tuple], translations: list[tuple], group: str) -> list[Case]:  # type: ignore[type-arg]
    """Model-like faithful answers on texts of our own (tests/analysis/verify_cases.py): ``own`` were used
    while changing the verifier; ``held-out`` were written after and held out once, then their two
    refusals were fixed (so they are no longer unseen); ``held-out-2`` were written after that and never
    used to change it."""
    cases = []
    for pass_name, lang, source, answer, *context in model_like:
        cases.append(Case(pass_name, lang, source, answer, context=context[0] if context else ""))
    for lang, source, target, answer, glossary in translations:
        cases.append(Case("translation", lang, source, answer, glossary=glossary, answer_lang=target))
    for case in cases:
        case.group = group
    return cases


def _hand_cases() -> list[Case]:
    cases = [Case("easy_read", lang, s, a) for lang, s, a in hand.EASY_READ]
    cases += [Case("plain", lang, s, a) for lang, s, a in hand.PLAIN]
    cases += [Case("summary", lang, s, "\n".join(points)) for lang, s, points in hand.SUMMARY]
    cases += [
        Case(
            "glossary",
            lang,
            ctx,
            d,
            context=hand.DOCUMENT_FR if lang == "fr" else hand.DOCUMENT_EN,
            glossary={term: ""},
        )
        for lang, term, ctx, d in hand.GLOSSARY
    ]
    cases += [Case("alt_text", lang, cap, alt, context=ctx) for lang, cap, ctx, alt in hand.ALT_TEXT]
    cases += [Case("translation", "fr", s, a, glossary=g) for s, a, g in hand.TRANSLATION]
    return cases


def _applies(kind: str, case: Case) -> bool:
    if kind == "untranslated":
        return case.pass_name == "translation"
    return kind not in KEEP_ONLY or case.pass_name in ("easy_read", "plain", "translation")


def _initials(acronym: str, text: str) -> bool:
    """Whether ``text`` writes ``acronym`` out ("Midnight Commander" for "MC")."""
    words = re.findall(r"[A-ZÀ-Þ][^\W\d_]+", text)
    n = len(acronym)
    return any("".join(w[0] for w in words[i : i + n]) == acronym for i in range(len(words) - n + 1))


def is_fact_drop(case: Case, changed: str) -> bool:
    """An ``entity_drop`` loses a fact of the source: not a name the answer added (an acronym's
    expansion), nor an acronym whose expansion stays."""
    from perturbations import _entities

    gone = [
        n for n in set(_entities(case.answer, case.answer_lang)) if not contains_folded(nd.fold(changed), n)
    ]
    same = case.answer_lang.split("-")[0] == case.lang.split("-")[0]
    for name in gone:
        if same and not contains_folded(nd.fold(case.source), name):
            continue
        if name.isupper() and _initials(name, changed):
            continue
        return True
    return False


def run(cases: list[Case]) -> tuple[dict[tuple[str, str], list[int]], dict[str, list[int]], list[str]]:
    caught: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    faithful: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    misses: list[str] = []
    for i, case in enumerate(cases):
        verdict = case.run(case.answer)
        stats = faithful[case.pass_name]
        stats[0] += 1
        stats[1] += not verdict.accepted
        stats[2] += bool(verdict.findings)
        if not verdict.accepted and len(misses) < 400:
            misses.append(f"refused faithful {case.pass_name}: {verdict.reason()} | {case.answer[:100]!r}")
        for kind in KINDS:
            if not _applies(kind, case):
                continue
            changed = perturb(
                kind,
                case.answer,
                case.answer_lang,
                seed=i,
                glossary=case.glossary if kind == "untranslated" else None,
            )
            if changed is None or changed == case.answer:
                continue
            if kind == "entity_drop" and not is_fact_drop(case, changed):
                continue
            found = bool(case.run(changed).findings)
            cell = caught[(case.pass_name, kind)]
            cell[0] += 1
            cell[1] += found
            if not found and len(misses) < 400:
                misses.append(f"missed {kind} in {case.pass_name}: {changed[:160]!r}")
    return caught, faithful, misses


def shares(case: Case, answer: str) -> list[float]:
    """Per sentence, the share of its words the source supports: found in the source and context (rewrites,
    key points, definitions, alt texts; everyday words left out for easy-to-read, ordinary words of a
    definition's first sentence left out), anchored through
    cognates and the lexicon (translations)."""
    if case.pass_name == "translation":
        return [s.share for s in sentence_support(case.source, answer, case.lang, case.answer_lang)]
    return sentence_shares(answer, [case.source, case.context], case.answer_lang, case.pass_name)


def threshold(pass_name: str) -> str:
    policy = POLICIES[pass_name]
    if policy.aligned is not None:
        return f"{policy.aligned[0]:.2f}/{policy.aligned[1]:.2f}"
    return f"{policy.words:.2f}" if policy.words is not None else "not used"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-blocks", type=int, default=120, help="paragraphs taken per document")
    parser.add_argument("--no-corpus", action="store_true", help="samples/ only")
    parser.add_argument("--misses", type=int, default=15, help="print this many misses and false refusals")
    args = parser.parse_args()
    import tempfile

    started = time.perf_counter()
    cases = hand_cases()
    cases += own_cases(hand.MODEL_LIKE, hand.OWN_TRANSLATIONS, "own")
    cases += own_cases(hand.HELD_OUT, hand.HELD_TRANSLATIONS, "held-out")
    cases += own_cases(hand.HELD_OUT_2, hand.HELD_TRANSLATIONS_2, "held-out-2")
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp))
        for path in DOCUMENTS + ([] if args.no_corpus else CORPUS):
            if not path.exists():
                print(f"skipped (missing): {path}")
                continue
            began = time.perf_counter()
            doc = convert(path, ConvertContext(filename=path.name))
            made = document_cases(doc, settings, args.max_blocks)
            cases += made
            print(
                f"{path.name}: {len(made)} faithful answers ({time.perf_counter() - began:.0f} s)", flush=True
            )
    built = time.perf_counter() - started
    started = time.perf_counter()
    caught, faithful, misses = run(cases)
    checked = time.perf_counter() - started
    passes = ["easy_read", "plain", "summary", "glossary", "alt_text", "translation"]
    print(
        f"{len(cases)} faithful answers ({built:.1f} s to build), "
        f"{sum(c[0] for c in caught.values())} perturbed ({checked:.1f} s to verify everything)\n"
    )
    print("share caught (cases) per pass and perturbation, and the target")
    print(f"{'perturbation':<14}" + "".join(f"{p:>17}" for p in passes) + f"{'target':>9}")
    for kind in KINDS:
        row = f"{kind:<14}"
        for p in passes:
            n, found = caught.get((p, kind), [0, 0])
            row += f"{(f'{100 * found / n:.0f} % ({n})' if n else 'n/a'):>17}"
        print(row + f"{TARGETS.get(kind, '-'):>9}")
    print("\nfaithful answers: refused / flagged (cases)")
    print(
        f"{'':<14}"
        + "".join(
            f"{f'{100 * faithful[p][1] / max(1, faithful[p][0]):.1f} / {100 * faithful[p][2] / max(1, faithful[p][0]):.0f} % ({faithful[p][0]})':>17}"
            for p in passes
        )
    )
    total = sum(v[0] for v in faithful.values())
    refused = sum(v[1] for v in faithful.values())
    print(
        f"\nall passes: {100 * refused / max(1, total):.1f} % of {total} faithful answers refused (target <= 5 %)"
    )
    for group in ("own", "held-out", "held-out-2"):
        mine = [c for c in cases if c.group == group]
        g_caught, g_faithful, _ = run(mine)
        n = sum(v[0] for v in g_faithful.values())
        bad = sum(v[1] for v in g_faithful.values())
        per_kind = ", ".join(
            f"{kind} {sum(v[1] for (_, k), v in g_caught.items() if k == kind)}/"
            f"{sum(v[0] for (_, k), v in g_caught.items() if k == kind)}"
            for kind in KINDS
        )
        print(
            f"model-like answers on our own texts ({group}): {bad} of {n} refused "
            f"({100 * bad / max(1, n):.0f} %, target <= 5 %); caught: {per_kind}"
        )
    print("\nsentence shares of words found in the source (the invented-sentence thresholds):")
    print(f"{'':<14}" + "".join(f"{p:>17}" for p in passes))
    lows = {p: [x for c in cases if c.pass_name == p for x in shares(c, c.answer)] for p in passes}
    invented = {
        p: [
            x
            for i, c in enumerate(cases)
            if c.pass_name == p
            for x in shares(c, perturb("invented", "", c.answer_lang, seed=i) or "")
        ]
        for p in passes
    }
    print(f"{'faithful min':<14}" + "".join(f"{min(lows[p], default=1):>17.2f}" for p in passes))
    print(
        f"{'faithful p5':<14}"
        + "".join(f"{sorted(lows[p])[len(lows[p]) // 20] if lows[p] else 1:>17.2f}" for p in passes)
    )
    print(f"{'invented max':<14}" + "".join(f"{max(invented[p], default=0):>17.2f}" for p in passes))
    print(f"{'threshold':<14}" + "".join(f"{threshold(p):>17}" for p in passes))
    written = [c for c in cases if c.hand]
    print(
        f"hand-written model-like answers: {sum(not c.run(c.answer).accepted for c in written)} of "
        f"{len(written)} refused, {sum(bool(c.run(c.answer).findings) for c in written)} flagged"
    )
    if args.misses:
        print("\nexamples (misses and false refusals):")
        for line in misses[: args.misses]:
            print("  " + line)


if __name__ == "__main__":
    main()
