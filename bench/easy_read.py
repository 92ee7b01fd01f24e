"""Quality of the offline easy-to-read engine on real documents, before and after (prints figures).

For each French document of ``samples/`` and ``../shared/corpus/`` (and the English sample, for the
bare-conjunction count): convert it (:func:`inclusio.converters.registry.convert`), adapt it with the
offline engine and the ``easy-read`` profile (:func:`inclusio.adapt.engine.adapt_document`), then
print, for the source ("before") and for the reader's view ("after"):

* ``>15w``: share of sentences over 15 words (rule T1 warn or fail);
* ``fail/10``: easy-to-read rule failures (hits of severity ``fail``, every rule) per 10 sentences
  (target <= 1), by :mod:`inclusio.analysis.easy_read_rules`;
* ``KM``: Kandel-Moles reading ease (Flesch for English), higher is easier;
* ``conj``: sentences starting with a bare coordinating conjunction (Et, Mais, Car, Or, Donc, Ou,
  Ni; And, But, Or, So);
* ``facts``: facts of the source kept in the easy-to-read rewrite (:mod:`inclusio.analysis.faithfulness`);
* ``kp=1st``: key points that are a verbatim copy of the first sentence of one of the section's
  paragraphs, out of all key points;
* ``gl-undef``: glossary entries without a definition that reach the student (the reader's view),
  out of all entries of the Document.

``--no-lexicon`` runs the same without inclusio's acronym lexicon (:mod:`inclusio.adapt.acronym_lexicon`:
the meanings of the acronyms a document never defines), to measure what it brings.

    .venv/bin/python bench/easy_read.py [--manual-pages 30] [--no-lexicon]
"""

from __future__ import annotations

import argparse
import re
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
DOCUMENTS = [
    ROOT / "samples" / "cours-photosynthese-fr.pdf",
    ROOT / "samples" / "diaporama-cellule-fr.pptx",
    CORPUS / "math-fr-2col.pdf",
    CORPUS / "slides-fr-web-course.pptx",
    CORPUS / "scan-fr.oracle.pdf",
    CORPUS / "manual-fr-265p.pdf",
    ROOT / "samples" / "handout-water-cycle-en.docx",
]
_BARE = {
    "fr": re.compile(r"^[«\"“(\s]*(?:Et|Mais|Car|Or|Donc|Ou|Ni)\b(?!['’-])"),
    "en": re.compile(r"^[«\"“(\s]*(?:And|But|Or|So)\b(?!['’-])"),
}


def _sentences(doc, kinds):  # type: ignore[no-untyped-def]
    from inclusio.analysis.readability import readable_units
    from inclusio.model.document import Heading
    from inclusio.model.view import reading_blocks
    from inclusio.text.sentences import split_sentences

    for block in reading_blocks(doc, kinds):
        if isinstance(block, Heading):
            continue
        for unit in readable_units(block):
            yield from split_sentences(unit)


def _rules(doc, kinds):  # type: ignore[no-untyped-def]
    from inclusio.analysis.easy_read_rules import check_rules

    summary = check_rules(doc, adaptation_kinds=kinds).summary
    t1 = summary.hits_by_rule.get("T1", {})
    fails = sum(counts.get("fail", 0) for counts in summary.hits_by_rule.values())
    n = max(1, summary.sentences)
    by_rule = {rule: counts["fail"] for rule, counts in summary.hits_by_rule.items() if counts.get("fail")}
    explained = summary.acronyms_explained
    return (
        100 * (t1.get("warn", 0) + t1.get("fail", 0)) / n,
        10 * fails / n,
        summary.sentences,
        by_rule,
        explained,
    )


def _key_points_copied(doc) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    from inclusio.model.document import Paragraph
    from inclusio.text.sentences import split_sentences

    firsts: set[str] = set()
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            sentences = split_sentences(block.plain_text())
            if sentences:
                firsts.add(" ".join(sentences[0].split()))
            for adaptation in block.adaptations:  # and the first sentence of its rewrite
                part = next((p for p in adaptation.blocks if isinstance(p, Paragraph)), None)
                parts = split_sentences(part.plain_text()) if part is not None else []
                if parts:
                    firsts.add(" ".join(parts[0].split()))
    total = copied = 0
    for block in doc.blocks:
        summary = block.adaptation("summary")
        if summary is None or not summary.text:
            continue
        for point in summary.text.split("\n"):
            total += 1
            copied += " ".join(point.split()) in firsts
    return copied, total


def _first_pages(path: Path, pages: int, folder: Path) -> Path:
    """A copy of the first ``pages`` pages of a PDF (the manual would dominate the run time)."""
    from inclusio.pymupdf_setup import load

    pymupdf = load()
    out = folder / path.name
    with pymupdf.open(path) as src, pymupdf.open() as part:
        part.insert_pdf(src, from_page=0, to_page=min(pages, src.page_count) - 1)
        part.save(out)
    return out


def measure(path: Path, manual_pages: int):  # type: ignore[no-untyped-def]
    from inclusio.adapt.engine import adapt_document
    from inclusio.analysis.faithfulness import check_faithfulness
    from inclusio.analysis.readability import score_document
    from inclusio.config import Settings
    from inclusio.converters.base import ConvertContext
    from inclusio.converters.registry import convert
    from inclusio.model.view import adapted_document
    from inclusio.profiles import load_profile

    settings = Settings(engine="offline")
    profile = load_profile("easy-read", settings.profiles_dir)
    if "manual" in path.name:
        with tempfile.TemporaryDirectory() as tmp:
            doc = convert(_first_pages(path, manual_pages, Path(tmp)), ConvertContext(filename=path.name))
    else:
        doc = convert(path, ConvertContext(filename=path.name))
    started = time.perf_counter()
    adapted = adapt_document(doc, profile, settings, created_at="2024-09-02T08:00:00+00:00").document
    seconds = time.perf_counter() - started
    kinds = profile.adaptation_kinds
    lang = doc.lang.split("-")[0] if doc.lang.split("-")[0] in _BARE else "en"
    row = {"doc": path.name, "lang": lang, "adapt_s": seconds}
    for label, the_doc, the_kinds in (("before", doc, ()), ("after", adapted, kinds)):
        long_share, fails, n, by_rule, explained = _rules(the_doc, the_kinds)
        bare = sum(1 for s in _sentences(the_doc, the_kinds) if _BARE[lang].match(s))
        km = score_document(the_doc, the_kinds).document.reading_ease
        row[label] = {
            "n": n,
            "long": long_share,
            "fails": fails,
            "km": km,
            "bare": bare,
            "rules": by_rule,
            "explained": explained,
        }
    faith = check_faithfulness(adapted, kinds=("easy_read",)).summary
    checked, missing = sum(faith.facts_checked.values()), sum(faith.facts_missing.values())
    row["facts"] = 100.0 * (checked - missing) / checked if checked else 100.0
    row["facts_missing"] = missing
    row["kp"] = _key_points_copied(adapted)
    written = sum(1 for b in adapted.blocks for a in b.adaptations for n in a.notes if "acronym lexicon" in n)
    origins = [e.origin for e in adapted.glossary]
    row["acr"] = (origins.count("lexicon"), written, origins.count("acronym"))
    view = adapted_document(adapted, kinds)
    row["gl"] = (sum(1 for e in view.glossary if not e.definition), len(adapted.glossary))
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--manual-pages",
        type=int,
        default=30,
        help="pages of the 265-page manual to convert (it dominates the run time)",
    )
    parser.add_argument(
        "--no-lexicon",
        action="store_true",
        help="without the acronym lexicon (undefined acronyms get no meaning: the figures before it)",
    )
    args = parser.parse_args()
    if args.no_lexicon:
        from inclusio.adapt import acronym_lexicon

        acronym_lexicon.lexicon = lambda: {}  # type: ignore[assignment]
    header = (
        f"{'document':<30} {'sent':>5} {'>15w %':>13} {'fail/10':>11} {'KM':>13} {'conj':>7} "
        f"{'facts %':>8} {'kp=1st':>7} {'gl-undef':>8} {'adapt s':>7}"
    )
    print(header)
    print("-" * len(header))
    rows = []
    for path in DOCUMENTS:
        if not path.exists():
            print(f"{path.name:<30} missing")
            continue
        r = measure(path, args.manual_pages)
        rows.append(r)
        b, a = r["before"], r["after"]

        def km(v: float | None) -> str:
            return "-" if v is None else f"{v:.0f}"

        print(
            f"{r['doc'][:30]:<30} {b['n']:>5} {b['long']:>5.0f} ->{a['long']:>4.0f} "
            f"{b['fails']:>4.1f} ->{a['fails']:>4.1f} {km(b['km']):>5} ->{km(a['km']):>4} "
            f"{b['bare']:>2} ->{a['bare']:>2} {r['facts']:>8.1f} {r['kp'][0]:>3}/{r['kp'][1]:<3} "
            f"{r['gl'][0]:>3}/{r['gl'][1]:<4} {r['adapt_s']:>7.1f}"
        )
    print("sent: sentences of the source; before -> after (after: the easy-to-read reader's view).")
    print()
    print("Rule failures (severity fail) by rule, before -> after:")
    for r in rows:
        before, after = r["before"]["rules"], r["after"]["rules"]
        rules = sorted(set(before) | set(after), key=lambda rule: int(rule[1:]))
        cells = "  ".join(f"{rule} {before.get(rule, 0)}->{after.get(rule, 0)}" for rule in rules)
        print(f"{r['doc'][:30]:<30} {cells or '-'}")
    print()
    print("Acronyms never defined by the document: glossary entries from the lexicon (flagged for review) /")
    print("meanings written out in the rewrite (first use) / acronyms left to define by staff:")
    for r in rows:
        print(f"{r['doc'][:30]:<30} {r['acr'][0]:>4} / {r['acr'][1]:>4} / {r['acr'][2]:>4}")
    print()
    print("Uses of an acronym the glossary explains, in the reader's view (T8 passes on the first two):")
    print("its entry is the document's or approved by staff / a machine meaning written in brackets in the")
    print("text / a machine meaning (acronym lexicon) in the glossary only, not approved (a T8 warning):")
    for r in rows:
        e = r["after"]["explained"]
        print(
            f"{r['doc'][:30]:<30} {e.get('glossary', 0):>4} / {e.get('text', 0):>4} / {e.get('unreviewed', 0):>4}"
        )


if __name__ == "__main__":
    main()
