"""ask: the kind of a question (rules/intents.yaml) and the concept it names."""

from pathlib import Path

import pytest

from iei_kg.errors import QueryError
from iei_kg.extract.document import Extractor
from iei_kg.query.ask import detect_intent, rank_concepts, resolve_concept


@pytest.mark.parametrize("question, query", [
    ("Which countermeasures address low enterprise motivation?", "countermeasures-for-problem"),
    ("What can be done about teachers who lack industry experience?", "countermeasures-for-problem"),  # "who" relates
    ("What has been proposed to get reluctant firms to take part?", "countermeasures-for-problem"),
    ("What can be done to make companies more willing to train students?", "countermeasures-for-problem"),
    ("What would help small firms to join cooperation with colleges?", "countermeasures-for-problem"),
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
    ("How can schools build dual-qualified teacher teams?", "evidence-for-concept"),  # a problem: see below
    ("How many papers discuss tax incentives?", "evidence-for-concept"),
    ("哪些对策能解决企业参与积极性不高的问题？", "countermeasures-for-problem"),
    ("如何破解校热企冷？", "countermeasures-for-problem"),
    ("谁应当建设双师型教师队伍？", "actors-of-countermeasure"),
    ("企业参与积极性不高的原因是什么？", "causes-of-problem"),
    ("企业面临哪些问题？", "problems-for-stakeholder"),
    ("哪些文献讨论了税收优惠？", "documents-for-concept"),
    ("双师型教师", "evidence-for-concept"),
])
def test_the_question_picks_its_named_query(question, query):
    assert detect_intent(question).query == query


# A Chinese question needs only the scheme of an Extractor: no spaCy model or encoder is loaded for it.
@pytest.mark.parametrize("question, kind, concept", [
    ("哪些对策能解决企业参与积极性不高的问题？", "problem", "P-enterprise-motivation"),  # its Chinese label
    ("如何破解校热企冷？", "problem", "P-enterprise-motivation"),  # a Chinese altLabel
    ("谁应当建设双师型教师队伍？", "countermeasure", "C-dual-teacher-team"),  # most of 双师型教师队伍建设, in order
    ("企业面临哪些问题？", "stakeholder", "S-enterprise"),
])
def test_a_chinese_question_finds_its_concept_by_the_scheme_s_chinese_labels(question, kind, concept):
    best, score = rank_concepts(question, kind, Extractor())[0]
    assert best == concept and score >= 0.7


def test_a_chinese_question_that_names_no_concept_is_refused():
    with pytest.raises(QueryError, match="Chinese labels"):
        rank_concepts("哪些对策最有效？", "problem", Extractor())


def test_a_how_question_about_a_problem_asks_what_addresses_it():
    assert detect_intent("How can enterprise participation be increased?").for_problem == \
        ("countermeasures-for-problem", "problem")
    assert detect_intent("How many papers discuss tax incentives?").for_problem is None
    assert detect_intent("如何提高企业参与积极性？").for_problem == ("countermeasures-for-problem", "problem")


def test_a_chinese_question_names_the_concept_whose_label_covers_most_of_it():
    # 企业参与积极性 is most of the problem's label 企业参与积极性不高, and all of the stakeholder's label 企业
    ranked = rank_concepts("如何提高企业参与积极性？", "any", Extractor())
    assert ranked[0][0] == "P-enterprise-motivation" and ("S-enterprise", 1.0) in ranked


def test_an_empty_question_is_refused():
    with pytest.raises(QueryError, match="cannot tell"):
        detect_intent("")


DATA = Path(__file__).parents[1] / "data"
SETS = {  # file, question frames, the query they ask, floor a little under what the full models reach
    "problems": ("question-paraphrases.tsv", ("What can be done about {}?", "Which countermeasures address {}?",
                                              "How should {} be addressed?"), "countermeasures-for-problem", 0.85),
    "problems, other frames": ("question-paraphrases.tsv", ("How can {} be overcome?", "What has been proposed for {}?",
                                                            "What would help with {}?"),
                               "countermeasures-for-problem", 0.85),
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
    """On the full models: problems 69 and 67 of 75 right in the two sets of frames, measures 45 of 63
    (tests/data/*-paraphrases.tsv)."""
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


@pytest.mark.slow
@pytest.mark.parametrize("question, concept", [
    ("What do the documents say about teachers?", "S-teacher"),  # a label in the plural
    ("What do the documents say about industry associations?", "S-industry-association"),
    ("What do the documents say about universities?", "S-university"),  # names nothing but a stakeholder
    # names colleges and teachers, but asks about teachers with industry experience: the problem
    ("How can vocational colleges get enough teachers who have real, recent experience of working in industry?",
     "P-dual-teacher-shortage"),
    # asks for the goal ("more willing") of the problem whose labels say "not willing", "low", "lack"
    ("What do the documents recommend for making employers more willing to take part in training students?",
     "P-enterprise-motivation"),
])
def test_a_question_of_any_kind_is_about_a_stakeholder_only_when_it_names_little_else(extractor, question, concept):
    assert rank_concepts(question, "any", extractor)[0][0] == concept
