"""Tests for iei_kg.ingest.layout: headings, page furniture and the end of the body."""

from __future__ import annotations

from iei_kg.ingest.layout import Heading, analyse_layout, skipped_section

PROSE = "Industry-education integration is a key policy of vocational education reform in China today."


def _span(text: str, line: str) -> tuple[int, int]:
    start = text.index(line)
    return start, start + len(line)


def _furniture_text(text: str) -> list[str]:
    return [text[s:e] for s, e in analyse_layout(text).furniture]


# --- headings ---------------------------------------------------------------------------------------------


def test_numbered_headings_number_title_level():
    text = (
        "1. Introduction\n"
        f"{PROSE}\n"
        "2.1.  Weak Government Leading Role\n"
        f"{PROSE}\n"
        "3 Paths\n"
        f"{PROSE}\n"
        "一、问题\n"
        "产教融合存在很多问题，需要政府和企业共同解决。\n"
    )
    layout = analyse_layout(text)
    s1, e1 = _span(text, "1. Introduction")
    s2, e2 = _span(text, "2.1.  Weak Government Leading Role")
    s3, e3 = _span(text, "3 Paths")
    s4, e4 = _span(text, "一、问题")
    assert layout.headings == [
        Heading(s1, e1, "1", "Introduction", 1),
        Heading(s2, e2, "2.1", "Weak Government Leading Role", 2),
        Heading(s3, e3, "3", "Paths", 1),
        Heading(s4, e4, "一", "问题", 1),
    ]
    assert layout.headings[1].text == "2.1 Weak Government Leading Role"
    assert layout.furniture == []
    assert layout.end_of_body == len(text)


def test_other_heading_styles():
    text = (
        "（二）校企合作\n"
        "第三章 产教融合的路径\n"
        "## Methods and Data\n"
        "2.3.1 Teacher Training\n"
    )
    got = [(h.number, h.title, h.level) for h in analyse_layout(text).headings]
    assert got == [
        ("二", "校企合作", 1),
        ("三", "产教融合的路径", 1),
        ("##", "Methods and Data", 2),
        ("2.3.1", "Teacher Training", 3),
    ]


def test_indented_heading_starts_at_its_text():
    text = f"{PROSE}\n   4. Conclusion and Outlook   \n{PROSE}\n"
    (h,) = analyse_layout(text).headings
    assert text[h.start:h.end] == "4. Conclusion and Outlook"
    assert h.start == len(PROSE) + 1 + 3


def test_wrapped_heading_is_joined():
    first = "2.4. The Incompatibility between Teaching of Colleges and Production of"
    text = f"{PROSE}\n{first}\nEnterprises\n{PROSE}\n"
    (h,) = analyse_layout(text).headings
    assert h.number == "2.4"
    assert h.level == 2
    assert h.title == "The Incompatibility between Teaching of Colleges and Production of Enterprises"
    assert h.start == text.index(first)
    assert h.end == text.index("Enterprises\n") + len("Enterprises")
    assert text[h.start:h.end] == f"{first}\nEnterprises"


def test_wrapped_heading_over_a_blank_line():
    text = f"3.2 Cooperation Mechanisms for Schools and\n\nLocal Enterprises\n{PROSE}\n"
    (h,) = analyse_layout(text).headings
    assert h.title == "Cooperation Mechanisms for Schools and Local Enterprises"
    assert h.end == text.index("Local Enterprises") + len("Local Enterprises")


def test_heading_followed_by_heading_is_not_merged():
    text = "3 Paths\n3.1 Government Guidance\n3.2 Enterprise Participation\n一、问题\n" + PROSE + "\n"
    layout = analyse_layout(text)
    assert [(h.number, h.title) for h in layout.headings] == [
        ("3", "Paths"), ("3.1", "Government Guidance"), ("3.2", "Enterprise Participation"), ("一", "问题"),
    ]
    first = layout.headings[0]
    assert (first.start, first.end) == (0, len("3 Paths"))


def test_heading_followed_by_prose_is_not_merged():
    text = f"1. Introduction\n{PROSE}\n"
    (h,) = analyse_layout(text).headings
    assert h.title == "Introduction"
    assert h.end == len("1. Introduction")


def test_numbered_sentence_is_not_a_heading():
    text = (
        f"{PROSE}\n"
        "3 The government should strengthen the guidance of enterprises and colleges in cooperation.\n"
        "12 universities in the province have adopted the model\n"
        "2. Enterprises, colleges and industry associations should all take part in training,\n"
    )
    assert analyse_layout(text).headings == []


def test_short_numbered_line_with_full_stop_is_still_a_heading():
    (h,) = analyse_layout("1. Introduction.\n" + PROSE).headings
    assert (h.number, h.title) == ("1", "Introduction.")


def test_abstract_heading_covers_only_the_name():
    body = "This paper studies the integration of industry and education in China."
    text = f"Abstract: {body}\nKeywords: integration; vocational education\n1. Introduction\n{PROSE}\n"
    layout = analyse_layout(text)
    abstract, keywords, intro = layout.headings
    assert (abstract.start, abstract.end) == (0, len("Abstract:"))
    assert (abstract.number, abstract.title, abstract.level) == ("", "Abstract", 1)
    assert text[keywords.start:keywords.end] == "Keywords:"
    assert keywords.title == "Keywords"
    assert intro.title == "Introduction"
    assert skipped_section(keywords.title)
    assert skipped_section("关键词：")
    assert not skipped_section(abstract.title)


def test_chinese_named_heading():
    text = "摘要：本文研究产教融合。\n" + PROSE
    (h,) = analyse_layout(text).headings
    assert (h.title, h.start, h.end) == ("摘要", 0, len("摘要："))


def test_references_set_end_of_body():
    text = f"1. Introduction\n{PROSE}\nReferences\n[1] Wang L. Industry and education. 2019.\n"
    layout = analyse_layout(text)
    assert layout.end_of_body == text.index("References")
    assert [h.title for h in layout.headings] == ["Introduction", "References"]


def test_numbered_references_and_chinese_end_sections():
    text = f"{PROSE}\n6. References\n[1] A.\n"
    assert analyse_layout(text).end_of_body == text.index("6. References")
    text = f"{PROSE}\n参考文献\n[1] 王. 产教融合.\n"
    assert analyse_layout(text).end_of_body == text.index("参考文献")


def test_first_end_section_wins():
    text = f"{PROSE}\nAcknowledgements\nThanks.\nReferences\n[1] A.\n"
    assert analyse_layout(text).end_of_body == text.index("Acknowledgements")


# --- furniture --------------------------------------------------------------------------------------------


def test_furniture_lines():
    lines = [
        "12",
        "Page 3 of 10",
        "Copyright © 2020 Atlantis Press. All rights reserved.",
        "DOI: 10.1234/abc",
        "https://example.org/paper",
        "Figure 1 Universities",
        "Received: 12 March 2020",
    ]
    text = "\n".join([PROSE, *lines, PROSE]) + "\n"
    layout = analyse_layout(text)
    assert _furniture_text(text) == lines
    assert layout.furniture[0] == (len(PROSE) + 1, len(PROSE) + 3)
    assert layout.headings == []


def test_prose_is_not_furniture():
    text = (
        f"{PROSE}\n"
        "Enterprises lack the motivation to take part in running vocational colleges.\n"
        "The government should lead and coordinate the cooperation between schools and enterprises.\n"
    )
    assert analyse_layout(text).furniture == []


def test_title_and_byline_lines_before_the_first_prose_are_furniture():
    front = ["Making Enterprises Genuine Partners in Vocational Education:", "Problems and Policy Recommendations",
             "Research Group on Industry-Education Integration"]
    text = "\n".join([*front, PROSE, PROSE]) + "\n"
    assert _furniture_text(text) == front


def test_a_document_that_opens_with_prose_or_a_heading_has_no_front_matter():
    assert analyse_layout(f"{PROSE}\nShort closing line\n{PROSE}\n").furniture == []
    assert analyse_layout(f"Abstract: {PROSE}\n{PROSE}\n").furniture == []
    # One short line and nothing after it is a text, not a title.
    assert analyse_layout("Enterprises lack motivation\n").furniture == []


def test_table_rows_are_furniture_until_prose():
    caption = "Table 1 Cooperation projects by region"
    rows = ["Region Projects Share", "East 120 45%", "West 80 30%"]
    after = "The table shows that cooperation projects are concentrated in the eastern region of China."
    text = "\n".join([PROSE, caption, *rows, after]) + "\n"
    layout = analyse_layout(text)
    assert _furniture_text(text) == [caption, *rows]
    assert layout.furniture[0] == _span(text, caption)


def test_table_ends_at_a_heading():
    text = f"Table 2 Survey\nItem Mean\nQ1 3.4\n3. Results\n{PROSE}\n"
    layout = analyse_layout(text)
    assert _furniture_text(text) == ["Table 2 Survey", "Item Mean", "Q1 3.4"]
    assert [(h.number, h.title) for h in layout.headings] == [("3", "Results")]


WRAPPED = [  # prose hard-wrapped at about 95 characters
    "Industry-education integration is a key policy of vocational education reform in China, and",
    "its success depends on whether enterprises see a return on the training they give to students.",
    "Schools and enterprises still cooperate in a loose way, and few projects outlast their first year.",
]


def test_a_wordy_table_cell_of_wrapped_text_stays_in_the_table():
    caption = "Table 2 Standard types and cycles of regional systems"
    cells = ["Region Britain Singapore Hong Kong",
             "Audit criteria It is helpful to solve the problems of",  # ten words, but half a line wide
             "financial industry; enterprises have"]
    text = "\n".join([*WRAPPED, caption, *cells, *WRAPPED]) + "\n"
    assert _furniture_text(text) == [caption, *cells]


def test_a_short_paragraph_after_a_table_is_prose_where_a_line_holds_a_paragraph():
    paragraphs = [" ".join(WRAPPED * 3)] * 3  # one paragraph a line: line lengths say nothing
    short = "Enterprises lack the motivation to take part in running vocational colleges."
    text = "\n".join([*paragraphs, "Table 1 Projects", "East 120", short, *paragraphs]) + "\n"
    assert _furniture_text(text) == ["Table 1 Projects", "East 120"]


def test_repeated_short_line_is_running_header():
    header = "Advances in Social Science Research"
    text = "\f".join(f"{header}\n{PROSE} Page part {i}.\n" for i in range(3))
    furniture = analyse_layout(text).furniture
    assert _furniture_text(text) == [header] * 3
    assert furniture[1] == (text.index(header, 1), text.index(header, 1) + len(header))


def test_line_repeated_twice_is_not_furniture():
    header = "Advances in Social Science Research"
    text = f"{PROSE}\n{header}\n{PROSE}\n{header}\n{PROSE} Again.\n"
    assert analyse_layout(text).furniture == []


def test_form_feed_splits_lines():
    text = f"{PROSE}\f7\f2. Methods\n{PROSE}"
    layout = analyse_layout(text)
    start = len(PROSE) + 1
    assert layout.furniture == [(start, start + 1)]
    (h,) = layout.headings
    assert (h.start, h.end, h.title) == (start + 2, start + 2 + len("2. Methods"), "Methods")


def test_lettered_subsections_under_roman_sections_are_headings():
    # IEEE-style papers: "II. CHALLENGES" then "A. Employer Engagement"; the letter heading is not the Roman one's
    # second line, and it sits one level under it
    text = "\n".join(["II. CHALLENGES", "A. Employer Engagement", PROSE, "B. Employer-Led Curriculum Design", PROSE]) + "\n"
    headings = [(h.number, h.title, h.level) for h in analyse_layout(text).headings]
    assert headings == [("II", "CHALLENGES", 1), ("A", "Employer Engagement", 2),
                        ("B", "Employer-Led Curriculum Design", 2)]


def test_a_line_opening_with_an_initial_is_no_heading():
    text = f"{PROSE}\nA. Smith found that cooperation between schools and firms rarely lasts.\n"
    assert analyse_layout(text).headings == []


def test_running_header_with_a_page_number_is_furniture():
    header = "Policy Brief No. 2023-07"
    text = "".join(f"{PROSE}\n{header}          {page}\n" for page in (2, 3, 4))
    assert _furniture_text(text) == [f"{header}          {page}" for page in (2, 3, 4)]


def test_short_numbered_lines_are_not_taken_for_a_running_header():
    text = "".join(f"{PROSE}\nCase {n}\n" for n in (1, 2, 3))
    assert _furniture_text(text) == []


def test_unnumbered_heading_between_sentences():
    # policy briefs: "Main problems" and "Policy recommendations" stand alone between paragraphs
    text = "\n".join([*WRAPPED, "Main problems", "(1) Participation is concentrated in large firms.", *WRAPPED,
                      "Policy recommendations", *WRAPPED]) + "\n"
    headings = [(h.number, h.title, h.level) for h in analyse_layout(text).headings]
    assert headings == [("", "Main problems", 1), ("(1)", "Participation is concentrated in large firms.", 2),
                        ("", "Policy recommendations", 1)]
    first = analyse_layout(text).headings[0]
    assert text[first.start:first.end] == "Main problems"


def test_short_lines_inside_or_ending_a_paragraph_are_no_headings():
    text = "\n".join([
        "Learning from Dual Systems",  # the first line: a title
        "Lessons for Vocational Colleges",  # after a line that ends no sentence
        PROSE,
        "Few firms take part.",  # ends with a full stop
        "Wen Li, Min Zhao",  # commas: an author line
        "Schools and enterprises still cooperate in a loose way, and",
        "Local Enterprises Stay Away",  # the sentence above goes on
        PROSE,
    ]) + "\n"
    assert analyse_layout(text).headings == []


def test_numbered_line_that_wraps_a_sentence_is_no_heading():
    text = "\n".join([*WRAPPED,
                      "(1) Participation is concentrated in large firms, and small businesses are largely",
                      "absent. As the survey shows, seven in ten of the largest firms have an agreement with a",
                      *WRAPPED]) + "\n"
    assert analyse_layout(text).headings == []


def test_ieee_abstract_and_index_terms():
    text = "Abstract—China has made industry-education integration a national priority.\nIndex Terms—apprenticeship\n"
    layout = analyse_layout(text)
    assert [text[h.start:h.end] for h in layout.headings] == ["Abstract—", "Index Terms—"]
    assert skipped_section(layout.headings[1].title)


def test_lettered_headings_with_a_colon_or_lower_case_prepositions():
    text = "\n".join(["A. Germany: The Dual System", PROSE, "C. Turn Industry Associations into Real Intermediaries",
                      PROSE]) + "\n"
    assert [h.title for h in analyse_layout(text).headings] == [
        "Germany: The Dual System", "Turn Industry Associations into Real Intermediaries"]


def test_running_header_with_a_dashed_page_mark_is_furniture():
    header = "Vocational Education Research 2023 (4)"
    text = "".join(f"{PROSE}\n{header} — {page} —\n" for page in (6, 7, 8))
    assert _furniture_text(text) == [f"{header} — {page} —" for page in (6, 7, 8)]
