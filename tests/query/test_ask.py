"""ask: which named query a plain-English question asks for (rules/intents.yaml)."""

from pathlib import Path

import pytest

from iei_kg.errors import QueryError
from iei_kg.query.ask import detect_intent, resolve_concept


@pytest.mark.parametrize("question, query", [
    ("Which countermeasures address low enterprise motivation?", "countermeasures-for-problem"),
    ("What can be done about teachers who lack industry experience?", "countermeasures-for-problem"),  # "who" relates
    ("How should graduates who lack practical skills be helped to improve?", "countermeasures-for-problem"),
    ("Who should build dual-qualified teacher teams?", "actors-of-countermeasure"),
    ("For dual-qualified teacher teams, who should act?", "actors-of-countermeasure"),
    ("By whom should tax incentives be granted?", "actors-of-countermeasure"),
    ("Which stakeholders should carry out curriculum reform?", "actors-of-countermeasure"),
    ("What causes imperfect cooperation mechanisms?", "causes-of-problem"),
    ("Why are enterprises reluctant to cooperate?", "causes-of-problem"),
    ("What problems do enterprises face?", "problems-for-stakeholder"),
    ("Which papers discuss tax incentives?", "documents-for-concept"),
    ("dual-qualified teachers", "evidence-for-concept"),
])
def test_the_question_picks_its_named_query(question, query):
    assert detect_intent(question).query == query


def test_an_empty_question_is_refused():
    with pytest.raises(QueryError, match="cannot tell"):
        detect_intent("")


DATA = Path(__file__).parents[1] / "data"
SETS = {  # file, question frames, the query they ask, floor a little under what the full models reach
    "problems": ("question-paraphrases.tsv", ("What can be done about {}?", "Which countermeasures address {}?",
                                              "How should {} be addressed?"), "countermeasures-for-problem", 0.85),
    "measures": ("actor-question-paraphrases.tsv", ("Who should {}?", "Which stakeholders should {}?",
                                                    "Who is responsible to {}?"), "actors-of-countermeasure", 0.65),
}


@pytest.fixture(scope="module")
def extractor():
    from iei_kg.config import ExtractorConfig
    from iei_kg.extract.document import Extractor

    return Extractor(ExtractorConfig(embedding_cache="none"))


@pytest.mark.slow
@pytest.mark.parametrize("name", SETS)
def test_questions_in_other_words_than_the_scheme_s_resolve_to_their_concept(extractor, name):
    """On the full models: problems 67 of 75 right, measures 45 of 63 (tests/data/*-paraphrases.tsv)."""
    file, frames, query, floor = SETS[name]
    rows = [line.split("\t") for line in (DATA / file).read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#")]
    right = 0
    for concept, words in rows:
        for frame in frames:
            question = frame.format(words)
            intent = detect_intent(question)
            right += intent.query == query and resolve_concept(question, intent.kind, extractor)[0] == concept
    assert right / (len(rows) * len(frames)) >= floor
