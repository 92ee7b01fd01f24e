"""The analyse stage on corpus documents: its time, and the easy-to-read rule hits against the reference parse.

Usage:  .venv/bin/python bench/analyse.py [--files manual-fr-265p.pdf math-fr-2col.pdf ...] [--reference]
                                          [--no-compare]

For each file of ``../shared/corpus`` (default: the 265-page manual, the two-column maths course and the web
course's slides, the three French documents), converts it once, then times the analyse stage's work
(:func:`inclusio.pipeline.spine.analyse_source`: readability, then the rules) as a job runs it: spaCy without
NER and without the lemmatizer, the few lemmas the rules read made on demand (``nlp.lemma``), or with
``--reference`` the way the rules parsed before (``nlp.RULES_PARSE_OFF = ("ner",)``: the lemmatizer over
every token). Then (unless ``--no-compare``) the rules run again the other way and the two rule reports
must be identical, hit for hit; the counts per rule are printed side by side; exits 1 when they differ.
Times are wall and CPU seconds of this process (the machine is shared: CPU is the steadier figure); spaCy is
loaded before timing (once per process in a worker), the lemmatizer's own cache is cold for the timed run
(run the two ways in two processes to compare times).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
DEFAULT = ["manual-fr-265p.pdf", "math-fr-2col.pdf", "slides-fr-web-course.pptx"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", nargs="+", default=DEFAULT)
    parser.add_argument("--reference", action="store_true", help="time the previous parse (lemmatizer on)")
    parser.add_argument("--no-compare", action="store_true", help="time only, no comparison")
    args = parser.parse_args()

    from inclusio.analysis import nlp
    from inclusio.analysis.easy_read_rules import check_rules
    from inclusio.analysis.readability import score_document
    from inclusio.config import Settings
    from inclusio.pipeline.naming import convert_shared

    settings = Settings()
    nlp.load_pipeline("fr")
    shipped = nlp.RULES_PARSE_OFF
    timed, other = (("ner",), shipped) if args.reference else (shipped, ("ner",))
    same = True
    for name in args.files:
        doc = convert_shared(CORPUS / name, name, settings, None)
        wall, cpu = time.perf_counter(), time.process_time()
        score_document(doc)
        readability = time.perf_counter() - wall, time.process_time() - cpu
        nlp.RULES_PARSE_OFF = timed
        wall, cpu = time.perf_counter(), time.process_time()
        rules = check_rules(doc)
        rules_s = time.perf_counter() - wall, time.process_time() - cpu
        print(
            f"{name}: {rules.summary.sentences} sentences, parse without {'+'.join(timed)}; analyse wall "
            f"{readability[0] + rules_s[0]:.2f} s, CPU {readability[1] + rules_s[1]:.2f} s (readability "
            f"{readability[0]:.2f} / {readability[1]:.2f} s, rules {rules_s[0]:.2f} / {rules_s[1]:.2f} s)"
        )
        if args.no_compare:
            continue
        nlp.RULES_PARSE_OFF = other
        try:
            compared = check_rules(doc)
        finally:
            nlp.RULES_PARSE_OFF = shipped
        identical = compared.model_dump() == rules.model_dump()
        same = same and identical
        print(f"  rules again, parse without {'+'.join(other)}: identical reports: {identical}")
        for rule, counts in rules.summary.hits_by_rule.items():
            print(f"    {rule:<4} {counts}  {compared.summary.hits_by_rule.get(rule)}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
