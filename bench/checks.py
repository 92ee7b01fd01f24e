"""Speed of the easy-to-read rule checker and the faithfulness check (prints figures, asserts nothing).

Input: ``samples/cours-photosynthese-fr.pdf`` converted and adapted by the offline easy-to-read
pass, its document repeated ``--repeat`` times (default 10) so the figures are not dominated by
start-up. Reports: spaCy load time, rule-checker sentences per second on the source (with
syntax, and regex only), on the adapted view, on the English sample (no syntax model), and
faithfulness blocks per second.

    .venv/bin/python bench/checks.py [--repeat N]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _timed(label: str, fn, sentences_of) -> None:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - started
    count = sentences_of(result)
    print(
        f"{label:<46} {count:>6} {'sentences' if 'faith' not in label else 'blocks':<9} "
        f"{seconds:7.2f} s  {count / seconds:8.0f} /s"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()

    from inclusio.adapt.easy_read import apply_easy_read
    from inclusio.analysis.easy_read_rules import RuleConfig, check_rules
    from inclusio.analysis.faithfulness import check_faithfulness
    from inclusio.analysis.nlp import load_pipeline
    from inclusio.analysis.rare_words import zipf
    from inclusio.converters.base import ConvertContext
    from inclusio.converters.registry import convert
    from inclusio.profiles.schema import AdaptationSettings

    started = time.perf_counter()
    load_pipeline("fr")
    print(f"spaCy fr_core_news_sm load: {time.perf_counter() - started:.2f} s")
    started = time.perf_counter()
    zipf("bonjour", "fr")
    zipf("hello", "en")
    print(f"wordfreq first look-ups (fr, en): {time.perf_counter() - started:.2f} s")

    doc = convert(ROOT / "samples" / "cours-photosynthese-fr.pdf", ConvertContext(filename="cours.pdf"))
    settings = AdaptationSettings(
        level="easy_read", max_sentence_words=15, one_sentence_per_line=True, enumerations_as_lists=True
    )
    doc = apply_easy_read(doc, settings)
    blocks = []
    for copy in range(args.repeat):
        for block in doc.blocks:
            blocks.append(block.model_copy(update={"id": f"r{copy}-{block.id}"}))
    big = doc.model_copy(update={"blocks": blocks})
    en = convert(ROOT / "samples" / "handout-water-cycle-en.docx", ConvertContext(filename="handout.docx"))
    en = en.model_copy(
        update={
            "blocks": [
                b.model_copy(update={"id": f"r{c}-{b.id}"}) for c in range(args.repeat) for b in en.blocks
            ]
        }
    )

    def sentences(report) -> int:  # type: ignore[no-untyped-def]
        return report.summary.sentences

    print(f"document: samples/cours-photosynthese-fr.pdf x {args.repeat}")
    _timed("rules, French source, spaCy syntax", lambda: check_rules(big), sentences)
    _timed(
        "rules, French source, regex only",
        lambda: check_rules(big, config=RuleConfig(use_syntax=False)),
        sentences,
    )
    _timed(
        "rules, French easy-read view, spaCy syntax",
        lambda: check_rules(big, adaptation_kinds=("easy_read",)),
        sentences,
    )
    _timed("rules, English handout (no syntax model)", lambda: check_rules(en), sentences)
    _timed(
        "faithfulness, French, spaCy NER", lambda: check_faithfulness(big), lambda r: r.summary.blocks_checked
    )
    _timed(
        "faithfulness, French, patterns only",
        lambda: check_faithfulness(big, use_ner=False),
        lambda r: r.summary.blocks_checked,
    )


if __name__ == "__main__":
    main()
