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
    monkeypatch.setattr(chinese, "extract_chinese",
                        lambda source, scheme, link_statement: calls.append((source.doc_id, link_statement)) or [])
    extractor = Extractor(ExtractorConfig(embedding_model="none"))
    assert extractor.extract(_source(POLICY)) == [] and calls == [("zh", None)]  # rules and labels link
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


def test_cue_words_match_whole_words_only(cues):
    # 要 in 要求, 大力 in 下大力气, 加强 in 有待加强 are no measure words; 大力 before a verb is
    assert cues.c_strong.find("学校对企业提出了更高要求") == [] and cues.c_strong.find("要下大力气抓好") == [(0, 1)]
    assert cues.c_weak.find("校企合作有待加强") == []
    assert [classify(s, cues)[0] for s in segment("校企合作的深度有待加强。\n这对学校提出了更高要求。\n", cues)] == [
        "problem", None]
    assert [(a, b) for a, b in cues.c_strong.find("国家大力发展职业教育")] == [(2, 4)]


def test_problems_as_plans_state_them(cues):
    # the measure words inside a list of problems (加强 in 有待加强, 完善 in 尚待完善) and 要 in 要求 are none
    text = ("与建设教育强国的要求相比，职业教育还存在着体系建设不够完善、实训基地建设有待加强、企业参与办学的动力不足、"
            "配套政策尚待完善等问题，到了必须下大力气抓好的时候。\n")
    assert classify(segment(text, cues)[0], cues)[0] == "problem"
    assert classify(segment("职业院校的办学质量参差不齐，专业设置不够健全。\n", cues)[0], cues)[0] == "problem"


def test_the_genres_of_regulations(scheme, cues):
    index = label_index(scheme, cues.stakeholder_labels)
    kinds = {s.text: classify(s, cues, index)[0] for s in segment(
        "企业开展校企合作依法享受税收优惠。\n职业院校可以与企业共建实训基地。\n"
        "禁止企业安排实习学生从事与所学专业无关的简单重复劳动。\n国家建立职业教育工作协调机制。\n"
        "第一条 为了促进校企合作，根据有关法律，制定本条例。\n本条例所称职业院校，是指依法举办的职业学校。\n"
        "违反本条例规定的，由教育行政部门责令改正。\n本条例自2021年1月1日起施行。\n"
        "设立职业学校，由县级以上地方人民政府按照规定的权限审批。\n应用型人才究竟应该如何培养？\n", cues)
        if not s.is_heading}
    assert [k for k in kinds.values()] == ["countermeasure"] * 4 + [None] * 6, kinds


REGULATION = """第二章 校企合作
第五条 县级以上地方人民政府教育行政部门应当建立校企合作协调机制。
对参与校企合作的企业，应当给予奖励。
第六条 职业学校可以开展下列活动：
（一）与企业共同制定人才培养方案；
（二）其他与校企合作有关的活动。
第七条 设立职业培训机构，应当符合下列条件：
（一）有组织机构和章程；
（二）有合格的教师。
第八条 行业组织和人力资源社会保障部门应当指导产教融合型企业开展职工培训。
"""


def test_articles_are_sections_and_their_subject_acts(scheme, cues):
    sentences = segment(REGULATION, cues)
    assert [s.text for s in sentences if s.is_heading] == ["校企合作", "第五条", "第六条", "第七条", "第八条"]
    article = next(s for s in sentences if s.text == "第五条")
    assert article.article and article.heading.text == "校企合作"
    statements = [s for s in extract_chinese(_source(REGULATION), scheme) if s.type == "countermeasure"]
    by_quote = {s.quote: s for s in statements}
    first = by_quote["县级以上地方人民政府教育行政部门应当建立校企合作协调机制。"]
    assert first.section == "第五条" and first.actors == ["S-education-department"]  # the department, not its government
    # the article's second paragraph names no subject (the enterprises after 对 are rewarded): the article's acts
    assert by_quote["对参与校企合作的企业，应当给予奖励。"].actors == ["S-education-department"]
    assert by_quote["行业组织和人力资源社会保障部门应当指导产教融合型企业开展职工培训。"].actors == [
        "S-industry-association", "S-government"]


def test_list_items_count_their_lead_in_and_are_no_headings(scheme, cues):
    index = label_index(scheme, cues.stakeholder_labels)
    kinds = {s.text: classify(s, cues, index)[0] for s in segment(REGULATION, cues) if not s.article}
    assert kinds["职业学校可以开展下列活动："] is None  # its items say what is meant
    assert kinds["与企业共同制定人才培养方案；"] == "countermeasure"
    assert kinds["其他与校企合作有关的活动。"] is None  # a catch-all item names nothing of its own
    assert kinds["有组织机构和章程；"] is None and kinds["有合格的教师。"] is None  # conditions, not measures
