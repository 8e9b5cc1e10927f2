"""Chinese extraction (extract/chinese.py): segmentation, section roles, cues, concept links, stakeholders, and a
one-file Chinese corpus built into a graph. The texts are hand-written for these tests."""

import pytest

import iei_kg
from iei_kg.config import ExtractorConfig
from iei_kg.extract.chinese import (
    best_link, classify, extract_chinese, label_index, label_score, load_zh_cues, segment)
from iei_kg.ontology.scheme import load_scheme
from iei_kg.records import SourceDocument

POLICY = """关于推进校企合作的实施意见
一、基本情况
产教融合是指教育与产业在育人、科研和服务等方面的深度合作。
近年来，全市职业教育办学规模稳步扩大。
二、存在的问题
当前，企业参与职业教育的积极性不高，“校热企冷”现象较为普遍。
职业院校“双师型”教师数量不足，多数教师缺乏企业实践经验。
三、对策建议
（一）完善激励机制。各级政府应当落实税收优惠政策，对参与校企合作的企业给予财政补贴。
（二）职业院校要加强“双师型”教师队伍建设，推动教师到企业实践。
鼓励行业协会搭建校企信息交流平台。
"""


@pytest.fixture(scope="module")
def scheme():
    return load_scheme()


@pytest.fixture(scope="module")
def cues():
    return load_zh_cues()


def _source(text: str, doc_id: str = "zh") -> SourceDocument:
    return SourceDocument(doc_id, f"{doc_id}.txt", text, "hash", "text/plain", language="zh")


def test_sentences_and_headings_have_exact_offsets(cues):
    sentences = segment(POLICY, cues)
    for s in sentences:
        assert POLICY[s.start:s.end] == s.text and s.text == s.text.strip()
    texts = [s.text for s in sentences]
    # cut after 。 inside a numbered line: the short first sentence is the heading, the rest is body text
    assert "完善激励机制。" in texts
    assert "各级政府应当落实税收优惠政策，对参与校企合作的企业给予财政补贴。" in texts
    # a closing quote stays with its sentence, heading numbers are not part of the text
    assert "当前，企业参与职业教育的积极性不高，“校热企冷”现象较为普遍。" in texts
    assert [s.text for s in sentences if s.is_heading][:4] == ["关于推进校企合作的实施意见", "基本情况", "存在的问题", "对策建议"]
    # a long numbered line is a sentence, not a heading
    long_line = next(s for s in sentences if s.text.startswith("职业院校要加强"))
    assert not long_line.is_heading and long_line.heading.text == "对策建议"


def test_semicolons_split_sentences(cues):
    text = "一、对策\n政府要加大经费投入；企业应当接收学生实习！\n"
    assert [s.text for s in segment(text, cues) if not s.is_heading] == ["政府要加大经费投入；", "企业应当接收学生实习！"]


def test_section_roles_from_headings(cues):
    roles = {s.text: s.role for s in segment(POLICY, cues) if s.is_heading}
    assert roles["基本情况"] is None or roles["基本情况"] == "background"
    assert roles["存在的问题"] == "problem"
    assert roles["对策建议"] == "countermeasure"
    assert roles["完善激励机制。"] == "countermeasure"
    text = "一、发展现状与主要问题\n二、保障措施\n三、研究背景\n四、问题与对策\n"
    assert [s.role for s in segment(text, cues)] == ["problem", "countermeasure", "background", None]


def test_problem_and_countermeasure_cues(cues):
    by_text = {s.text: classify(s, cues)[0] for s in segment(POLICY, cues)}
    assert by_text["当前，企业参与职业教育的积极性不高，“校热企冷”现象较为普遍。"] == "problem"
    assert by_text["各级政府应当落实税收优惠政策，对参与校企合作的企业给予财政补贴。"] == "countermeasure"
    assert by_text["鼓励行业协会搭建校企信息交流平台。"] == "countermeasure"
    assert by_text["产教融合是指教育与产业在育人、科研和服务等方面的深度合作。"] is None  # a definition
    assert by_text["近年来，全市职业教育办学规模稳步扩大。"] is None
    # without any section, the cues alone decide; "解决……不足" names what a measure solves, it states no problem
    bare = segment("实训基地建设明显滞后。\n为解决实训条件不足的问题，学校要与企业共建实训基地。\n", cues)
    assert [classify(s, cues)[0] for s in bare] == ["problem", "countermeasure"]


def test_partial_label_matches_score_by_covered_pieces(scheme):
    index = label_index(scheme)
    assert label_score("企业参与积极性不高", "企业参与职业教育的积极性不高", index.idf) >= 0.8
    assert label_score("企业参与积极性不高", "企业参与校企合作的成本较高", index.idf) < 0.6
    assert label_score("企业参与积极性不高", "企业参与积极性不高", index.idf) == 1.0
    assert best_link("企业参与职业教育的积极性不高", "problem", index)[0] == "P-enterprise-motivation"
    assert best_link("教师缺乏企业实践经验", "problem", index)[0] == "P-dual-teacher-shortage"
    assert best_link("加强双师型教师队伍建设", "countermeasure", index)[0] == "C-dual-teacher-team"
    assert best_link("落实税收优惠政策", "countermeasure", index)[0] == "C-incentives"
    assert best_link("今天天气很好，大家去公园散步", "problem", index) is None


def test_statements_of_a_policy_text(scheme):
    statements = extract_chinese(_source(POLICY), scheme)
    for s in statements:
        assert POLICY[s.start:s.end] == s.quote
    typed = {(s.type, s.concept): s for s in statements if s.type in ("problem", "countermeasure")}
    assert set(typed) == {("problem", "P-enterprise-motivation"), ("problem", "P-dual-teacher-shortage"),
                          ("countermeasure", "C-incentives"), ("countermeasure", "C-dual-teacher-team"),
                          ("countermeasure", "C-communication-platform")}
    assert not any(s.quote.startswith(("产教融合是指", "近年来")) for s in statements)  # background is not extracted
    motivation = typed["problem", "P-enterprise-motivation"]
    assert motivation.label == "low enterprise motivation" and motivation.involves == ["S-enterprise"]
    assert motivation.section == "存在的问题"
    incentives = [s for s in statements if s.concept == "C-incentives"]
    assert len(incentives) == 2  # the heading names the concept too
    sentence = next(s for s in incentives if not s.quote.startswith("完善"))
    assert sentence.actors == ["S-government"]  # the enterprises after 对 receive, they do not act
    assert typed["countermeasure", "C-dual-teacher-team"].actors == ["S-vocational-college"]
    assert typed["countermeasure", "C-communication-platform"].actors == ["S-industry-association"]
    # the scheme says these countermeasures remedy these problems, and both problems are in the document
    assert sentence.addresses == ["P-enterprise-motivation"] and sentence.methods == {"P-enterprise-motivation": "scheme"}
    assert typed["countermeasure", "C-dual-teacher-team"].addresses == ["P-dual-teacher-shortage"]
    mentions = {(s.concept, s.quote) for s in statements if s.type == "stakeholder"}
    assert ("S-teacher", "职业院校“双师型”教师数量不足，多数教师缺乏企业实践经验。") in mentions
    assert all(s.confidence > 0 for s in statements)


def test_a_cued_sentence_without_a_concept_becomes_a_candidate(scheme):
    text = "一、存在的问题\n乡村地区的网络带宽明显不足，线上课程难以开展。\n"
    [statement] = [s for s in extract_chinese(_source(text), scheme) if s.type == "problem"]
    assert statement.candidate and statement.concept.startswith("P-candidate-zh-")
    assert statement.label and statement.label in statement.quote
    again = extract_chinese(_source(text, "other"), scheme)[0]
    assert again.concept == statement.concept  # the same wording groups under one candidate


def test_a_cause_when_both_sides_name_problems(scheme):
    text = "一、问题\n政府统筹协调不够，导致校企合作流于形式。\n"
    [cause] = [s for s in extract_chinese(_source(text), scheme) if s.type == "cause"]
    assert (cause.concept, cause.effect) == ("P-weak-government-role", "P-formalism")


def test_reasons_listed_after_an_announcing_sentence_cause_its_problem(scheme):
    text = ("二、存在的问题\n企业参与积极性不高的原因主要有以下几个方面。一是相关法律法规不健全，缺乏可操作的实施细则。"
            "二是激励政策落实不到位，企业参与成本高。\n")
    causes = [(s.concept, s.effect, s.stakeholder_source) for s in extract_chinese(_source(text), scheme)
              if s.type == "cause"]
    assert causes == [("P-legal-gap", "P-enterprise-motivation", None),
                      ("P-policy-implementation", "P-enterprise-motivation", None)]


def test_an_announcement_that_states_no_problem_gives_the_reasons_of_the_problem_before_it(scheme):
    text = ("二、存在的问题\n企业参与积极性不高。其原因主要有以下几个方面。一是相关法律法规不健全，缺乏可操作的实施细则。\n")
    causes = [(s.concept, s.effect) for s in extract_chinese(_source(text), scheme) if s.type == "cause"]
    assert causes == [("P-legal-gap", "P-enterprise-motivation")]


def test_chinese_documents_are_routed_to_the_chinese_rules_without_the_english_models(monkeypatch):
    from iei_kg.extract import chinese
    from iei_kg.extract.document import Extractor

    calls = []
    monkeypatch.setattr(chinese, "extract_chinese", lambda source, scheme: calls.append(source.doc_id) or [])
    extractor = Extractor(ExtractorConfig(embedding_model="none"))
    assert extractor.extract(_source(POLICY)) == [] and calls == ["zh"]
    assert not {"nlp", "embedder", "linker"} & set(vars(extractor))  # no spaCy model, no encoder was loaded


def test_a_chinese_corpus_builds_into_the_graph(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "yijian.txt").write_text(POLICY, encoding="utf-8")
    report = iei_kg.build(corpus, tmp_path / "kg", ExtractorConfig(embedding_model="none"))
    assert report.built == ["yijian"]
    with iei_kg.open_graph(tmp_path / "kg") as kg:
        statements = list(kg.statements())
    concepts = {(s["type"], s["concept"]) for s in statements}
    assert ("problem", "P-enterprise-motivation") in concepts and ("countermeasure", "C-incentives") in concepts
    assert ("stakeholder", "S-government") in concepts
    quotes = {s["quote"] for s in statements}
    assert "当前，企业参与职业教育的积极性不高，“校热企冷”现象较为普遍。" in quotes
    assert {s["doc"] for s in statements} == {"yijian"}


def test_actors_are_subjects_not_objects_or_beneficiaries(scheme):
    text = ("一、对策\n市教育局要会同有关部门建立督导检查制度。\n聘请企业技术骨干担任兼职教师，加强实践教学。\n"
            "为中小企业提供技术服务，高校应当发挥科研优势。\n")
    by_quote = {s.quote: s.actors for s in extract_chinese(_source(text), scheme) if s.type == "countermeasure"}
    assert by_quote["市教育局要会同有关部门建立督导检查制度。"] == ["S-education-department"]
    # an imperative: the enterprise is no subject, and the section's measures imply the actor (the first of a tie)
    assert by_quote["聘请企业技术骨干担任兼职教师，加强实践教学。"] == ["S-education-department"]
    # the SMEs after 为 receive the service; 高校 (a rule-file name of S-university) is the subject
    assert by_quote["为中小企业提供技术服务，高校应当发挥科研优势。"] == ["S-university"]


def test_wrapped_lines_run_on_into_one_sentence(cues):
    """PDF text breaks lines where the page does: a long line without final punctuation continues on the next."""
    text = "一、问题\n当前，企业参与职业教育的积极性不高，校企合作中“校热企冷”的现象在\n许多地区依然存在。\n二、对策\n"
    sentences = segment(text, cues)
    body = [s for s in sentences if not s.is_heading]
    assert [s.text for s in body] == ["当前，企业参与职业教育的积极性不高，校企合作中“校热企冷”的现象在\n许多地区依然存在。"]
    assert text[body[0].start:body[0].end] == body[0].text
    assert [s.text for s in sentences if s.is_heading] == ["问题", "对策"]  # short lines still stand alone


MIRRORED = """职业教育产教融合的问题与对策
一、存在的问题
（一）政府统筹协调不够
部分地方政府对产教融合重视不够，统筹协调机制不健全。
（二）企业参与积极性不高
企业参与职业教育的积极性不高，“校热企冷”现象较为普遍。
二、对策建议
（一）完善相关法律法规
国家应当加快修订职业教育法，明确各方的权利和义务。
（二）深化校企联合培养
职业院校应当与企业共同制定人才培养方案，开展订单式培养。
"""


def test_a_measures_subsection_answers_the_problem_subsection_it_mirrors(scheme):
    statements = extract_chinese(_source(MIRRORED), scheme)
    measures = {s.concept: s for s in statements if s.type == "countermeasure"}
    assert set(measures) == {"C-legislation", "C-joint-training"}
    # neither pair is in the scheme's remedies: the order of the subsections says it
    assert "P-weak-government-role" not in scheme["C-legislation"].remedies
    assert measures["C-legislation"].methods == {"P-weak-government-role": "section"}
    assert measures["C-joint-training"].methods == {"P-enterprise-motivation": "section"}


def test_subsections_that_do_not_run_in_parallel_pair_nothing(scheme):
    one_measure = MIRRORED[:MIRRORED.index("（二）深化")]
    statements = extract_chinese(_source(one_measure), scheme)
    [measure] = {s.concept: s for s in statements if s.type == "countermeasure"}.values()
    assert measure.addresses == []  # two problem subsections, one measure: no order to go by
