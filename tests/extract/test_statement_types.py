"""Statement typing, concept-free: segments, section roles and cues on a small hand-written paper."""

import pytest

from iei_kg.extract.cues import load_cues
from iei_kg.extract.nlp import load_pipeline
from iei_kg.extract.segments import is_title_case, segment_document
from iei_kg.extract.statement_types import classify_segments
from iei_kg.ingest.layout import analyse_layout

PAPER = """Abstract: This paper studies school-enterprise cooperation in vocational colleges.
1. Introduction
Industry-education integration refers to the joint work of schools and enterprises in training talents.
2. Problems in School-Enterprise Cooperation
2.1. Weak Government Leading Role
The government lacks overall planning and the coordination mechanism is not perfect.
Enterprises are not willing to pay extra costs for training students[3]In addition, interns face safety risks.
In order to solve the above problems, it is necessary to clarify the rights of each party in the form of a contract.
The education department has the responsibility to set up a coordination body for cooperation.
3. Countermeasures
3.1. Establish Incentive Mechanisms
The government should give enterprises tax reductions and special subsidies.
Colleges should strengthen their social service ability for local firms; on the other hand, enterprises should change their ideas from a long-term perspective.
Build a dual-qualified teacher team with enterprise experts as part-time teachers.
Schools should act now; enterprises should invest in the training of their future workers.
3.2. Contract Constraint Mechanism
For enterprises entering the park, provide training places and sign agreements on the use of equipment.
4. Other Issues
4.1. Lack of Constraint Mechanism
Nobody checks whether the partners keep their agreements.
References
[1] Someone. Should we cite this? Journal, 2020.
"""


@pytest.fixture(scope="module")
def typed():
    nlp = load_pipeline()
    layout = analyse_layout(PAPER)
    segments = segment_document(nlp, PAPER, layout)
    return {" ".join(t.segment.text.split()): t for t in classify_segments(segments, load_cues())}


def test_sentences_and_headings_are_typed_by_cues_and_section(typed):
    assert typed["2.1. Weak Government Leading Role"].type == "problem"
    assert typed["The government lacks overall planning and the coordination mechanism is not perfect."].type == "problem"
    assert typed["3.1. Establish Incentive Mechanisms"].type == "countermeasure"
    assert typed["The government should give enterprises tax reductions and special subsidies."].type == "countermeasure"
    assert typed["Build a dual-qualified teacher team with enterprise experts as part-time teachers."].type == "countermeasure"


def test_a_recommendation_inside_a_problem_section_is_a_countermeasure(typed):
    # The problems it sets out to solve are no problem cue; a stated responsibility is an obligation.
    assert typed["In order to solve the above problems, it is necessary to clarify the rights of each party in the form "
                 "of a contract."].type == "countermeasure"
    assert typed["The education department has the responsibility to set up a coordination body for cooperation."].type == "countermeasure"


def test_clauses_that_each_state_something_are_statements_of_their_own(typed):
    first = "Colleges should strengthen their social service ability for local firms"
    second = "on the other hand, enterprises should change their ideas from a long-term perspective."
    assert typed[first].type == typed[second].type == "countermeasure"
    assert PAPER[typed[second].segment.start:typed[second].segment.end] == second
    # A clause too short to state anything stays with its sentence.
    assert typed["Schools should act now; enterprises should invest in the training of their future workers."].type == "countermeasure"


def test_a_mechanism_that_is_a_measure_makes_a_countermeasure_section(typed):
    assert typed["3.2. Contract Constraint Mechanism"].role == "countermeasure"
    assert typed["For enterprises entering the park, provide training places and sign agreements on the use of "
                 "equipment."].type == "countermeasure"
    assert typed["4.1. Lack of Constraint Mechanism"].role == "problem"


def test_background_meta_and_section_names_are_not_statements(typed):
    assert typed["Industry-education integration refers to the joint work of schools and enterprises in training talents."].type is None
    assert typed["This paper studies school-enterprise cooperation in vocational colleges."].type is None
    assert typed["2. Problems in School-Enterprise Cooperation"].type is None
    assert typed["3. Countermeasures"].type is None


def test_citation_mark_starts_a_sentence_and_references_are_left_out(typed):
    assert typed["Enterprises are not willing to pay extra costs for training students[3]"].type == "problem"
    assert "In addition, interns face safety risks." in typed
    assert not any("Someone" in text for text in typed)


def test_offsets_are_exact():
    nlp = load_pipeline()
    for segment in segment_document(nlp, PAPER, analyse_layout(PAPER)):
        assert PAPER[segment.start:segment.end] == segment.text


def test_title_case_documents_are_recognised():
    assert is_title_case("The System Design Of Integration Is Still Lacking And Enterprises Are Not Motivated")
    assert not is_title_case("The system design of integration is still lacking and enterprises are not motivated")


def test_clause_offsets_are_exact_after_blank_lines():
    paper = ("1. Countermeasures\n\n\n   Local colleges should open their training bases to small firms nearby; "
             "at the same time, enterprises should send engineers to teach practical courses.\n\n")
    nlp = load_pipeline()
    segments = segment_document(nlp, paper, analyse_layout(paper))
    statements = [t for t in classify_segments(segments, load_cues()) if t.type and not t.segment.is_heading]
    assert len(statements) == 2
    for t in statements:
        assert paper[t.segment.start:t.segment.end] == t.segment.text
        assert not t.segment.text[0].isspace() and not t.segment.text[-1].isspace()


SURVEY = """3 Results
3.1 Mentoring
Only 27.4% of enterprises had given mentors any training for the role.
Only about a third of the teachers had worked in an enterprise in the last two years.
Most enterprises assigned a mentor to every intern.
4 Discussion
4.1 Mentors without support
Mentoring remains largely informal and unrewarded in most firms.
"""


@pytest.fixture(scope="module")
def survey():
    nlp = load_pipeline()
    segments = segment_document(nlp, SURVEY, analyse_layout(SURVEY))
    return {" ".join(t.segment.text.split()): t for t in classify_segments(segments, load_cues())}


def test_a_survey_finding_of_a_small_share_is_a_problem(survey):
    assert survey["Only 27.4% of enterprises had given mentors any training for the role."].type == "problem"
    assert survey["Only about a third of the teachers had worked in an enterprise in the last two years."].type == "problem"


def test_a_discussion_section_is_no_summary_and_a_heading_with_without_names_a_problem(survey):
    # a paper's Discussion interprets its findings; unlike an abstract it restates nothing
    assert survey["4 Discussion"].role is None
    assert survey["4.1 Mentors without support"].role == "problem"
    assert survey["Mentoring remains largely informal and unrewarded in most firms."].type == "problem"


@pytest.mark.parametrize("heading, role", [
    ("3 Problems Identified in the Literature", "problem"),  # about problems, though it names the literature
    ("Countermeasures Drawn from the Literature", "countermeasure"),
    ("Lack of Theoretical Guidance", "problem"),
    ("2. Literature Review", "background"),
    ("Review of the Problems of School-Enterprise Cooperation", "background"),  # a review, though of problems
    ("2.1 Theoretical Basis", "background"),
])
def test_the_word_a_heading_is_about_decides_over_a_background_word(heading, role):
    from iei_kg.extract.cues import heading_role

    assert heading_role(load_pipeline()(heading)[:], load_cues()) == role
