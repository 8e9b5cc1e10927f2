import pytest

from iei_kg.extract.relations import (causal_split, enumerated_causes, implied_stakeholders,
                                      load_causal_markers)
from iei_kg.records import Statement


def _statement(kind: str, section: str | None, actors=(), involves=()) -> Statement:
    return Statement(doc="d", type=kind, concept="C-x" if kind == "countermeasure" else "P-x", label="x", quote="q",
                     start=0, end=1, page=1, section=section, confidence=1.0, actors=list(actors),
                     involves=list(involves))


def test_a_measure_naming_no_actor_is_carried_out_by_its_section_s_usual_actor():
    statements = [_statement("countermeasure", "3.1 Government Level", actors=["S-government"]),
                  _statement("countermeasure", "3.1 Government Level", actors=["S-government", "S-enterprise"]),
                  _statement("countermeasure", "3.1 Government Level", actors=["S-enterprise"]),
                  _statement("countermeasure", "3.1 Government Level"),  # "Formulate incentive mechanisms."
                  _statement("countermeasure", "3.2 Other"),  # no measure of its section names anyone
                  _statement("countermeasure", None)]
    implied_stakeholders(statements)
    assert [s.actors for s in statements] == [["S-government"], ["S-government", "S-enterprise"], ["S-enterprise"],
                                              ["S-government"], [], []]
    assert [s.stakeholder_source for s in statements] == [None, None, None, "section", None, None]  # only inferred


def test_a_problem_naming_nobody_concerns_its_section_s_usual_stakeholder_and_kinds_do_not_mix():
    statements = [_statement("problem", "2.1 Enterprise Level", involves=["S-enterprise"]),
                  _statement("problem", "2.1 Enterprise Level"),
                  _statement("countermeasure", "2.1 Enterprise Level", actors=["S-government"])]
    implied_stakeholders(statements)
    assert statements[1].involves == ["S-enterprise"] and statements[1].stakeholder_source == "section"
    assert statements[1].actors == [] and statements[2].involves == []


@pytest.fixture(scope="module")
def nlp():
    from iei_kg.extract.nlp import load_pipeline

    return load_pipeline()


@pytest.mark.parametrize("sentence,cause,effect", [
    ("Enterprises see no short-term return, which makes them unwilling to train apprentices.",
     "Enterprises see no short-term return,", "them unwilling to train apprentices."),
    ("Cooperation stays shallow because the rights of both parties are unclear.",
     "the rights of both parties are unclear.", "Cooperation stays shallow"),
    ("Due to the lack of legal protection, there is no effective supervision of the cooperation.",
     "the lack of legal protection", "there is no effective supervision of the cooperation."),
])
def test_causal_split_finds_cause_and_effect(nlp, sentence, cause, effect):
    parts = causal_split(nlp(sentence)[:], load_causal_markers())
    assert parts is not None
    assert (parts[0].text, parts[1].text) == (cause, effect)


def test_a_sentence_opening_with_a_causal_marker_and_no_comma_is_no_cause(nlp):
    assert causal_split(nlp("Due to the reform many colleges changed their plans.")[:], load_causal_markers()) is None


# None stands for the sentence before: the marker refers to it.
@pytest.mark.parametrize("sentence,cause,effect", [
    ("As a result, small firms have no partner to share the cost of training.",
     None, "As a result, small firms have no partner to share the cost of training."),
    ("Employers therefore have little reason to trust such certificates.",
     None, "Employers therefore have little reason to trust such certificates."),
    ("This is mainly because placements are negotiated year by year.", "placements are negotiated year by year.", None),
    ("The main reason is that most care homes are small.", "that most care homes are small.", None),
    ("Partly because of this, course content lags behind production.", None, "course content lags behind production."),
])
def test_a_causal_marker_that_refers_to_the_sentence_before(nlp, sentence, cause, effect):
    parts = causal_split(nlp(sentence)[:], load_causal_markers())
    assert parts is not None
    assert tuple(None if part is None else part.text for part in parts) == (cause, effect)


@pytest.mark.parametrize("sentence", [
    "The causes of the lack of motivation are complex.",  # a noun, not a link to the sentence before
    "Low wages weaken it.",  # too little on either side
])
def test_no_cause_without_two_sides(nlp, sentence):
    assert causal_split(nlp(sentence)[:], load_causal_markers()) is None


def test_a_cause_stated_across_two_sentences_links_their_problems():
    from iei_kg.config import ExtractorConfig
    from iei_kg.extract.document import Extractor
    from iei_kg.records import SourceDocument

    text = ("1. Problems\nThere are no sound laws and regulations on school-enterprise cooperation. "
            "As a result, enterprises lack the motivation to take part in cooperation.\n"
            "Few teachers have practical experience in enterprises. This is mainly because the evaluation of "
            "teachers' professional titles rewards papers over practice.\n")
    source = SourceDocument(doc_id="d", path="d.txt", text=text, content_hash="h", media_type="text/plain")
    causes = [s for s in Extractor(ExtractorConfig(embedding_model="none")).extract(source) if s.type == "cause"]
    assert [(s.concept, s.effect, s.quote[:12]) for s in causes] == [
        ("P-legal-gap", "P-enterprise-motivation", "As a result,"),
        ("P-academic-teacher-evaluation", "P-dual-teacher-shortage", "This is main")]


def test_reasons_listed_after_an_announcement_each_cause_the_announced_problem():
    def problem(concept, lemmas, section="2.1 Enterprise Level", candidate=False):
        statement = Statement(doc="d", type="problem", concept=concept, label=concept, quote=lemmas, start=0, end=1,
                              section=section, candidate=candidate)
        return statement, lemmas, section

    sentences = [
        problem("P-enterprise-motivation", "the reason for the lack of active enterprise be multiple and complex ."),
        problem("P-insufficient-awareness", "first of all , the importance of integration be not recognize ."),
        problem("P-insufficient-awareness", "enterprise focus on short - term benefit ."),  # no enumerator: elaborates
        problem("P-candidate-x", "secondly , something no concept fit .", candidate=True),
        problem("P-enterprise-motivation", "third , enterprise be not willing ."),  # the announced problem itself
        problem("P-graduate-skill-gap", "finally , graduate lack skill ."),
        problem("P-legal-gap", "first , law be lack .", section="2.2 Government Level"),  # another section
        # an announcement that states no problem announces the reasons of its section's problem before it
        problem("P-weak-platforms", "training base be few .", section="2.3 Platforms"),
        (None, "the reason be as follow :", "2.3 Platforms"),
        problem("P-funding-shortage", "firstly , fund be short .", section="2.3 Platforms"),
    ]
    markers = load_causal_markers()
    causes = enumerated_causes(sentences, markers.announces_reasons, markers.enumerator)
    assert [(s.concept, effect) for s, effect in causes] == [
        ("P-insufficient-awareness", "P-enterprise-motivation"), ("P-graduate-skill-gap", "P-enterprise-motivation"),
        ("P-funding-shortage", "P-weak-platforms")]


@pytest.mark.parametrize("sentence,actors", [
    ("Colleges and enterprises should jointly manage the whole internship process.",
     ["S-vocational-college", "S-enterprise"]),  # a bare "college" is the vocational college
    ("Colleges and universities should open their laboratories to local firms.", ["S-university"]),
    ("Local colleges and universities should adjust their majors.", ["S-university"]),
])
def test_who_should_act_in_the_field_s_words_for_colleges(nlp, sentence, actors):
    from iei_kg.extract.relations import StakeholderMatcher
    from iei_kg.ontology.scheme import load_scheme

    assert StakeholderMatcher(load_scheme(), nlp).actors(nlp(sentence)[:]) == actors


@pytest.mark.parametrize("lemmas,says", [
    ("in order to solve the problem of low enterprise enthusiasm , the government should", True),
    ("we should break the dilemma of formalism", True),
    ("build an exchange platform for school and enterprise", False),  # "exchange" is no "change"
    ("seek a breakthrough in cooperation", False),
])
def test_a_countermeasure_says_what_it_solves_in_whole_words(lemmas, says):
    from iei_kg.extract.relations import explicit_problem_mentions, load_solve_markers

    assert explicit_problem_mentions(lemmas, load_solve_markers()) is says

