"""`iei-kg eval` scoring (evaluate.py) on hand-built gold and statements."""

from iei_kg.evaluate import score_relations

GOLD = {"paper": {
    "doc": "paper",
    "problems": [{"concept": "P-enterprise-motivation", "stakeholders": ["S-enterprise"],
                  "evidence": ["enterprises are not keen to take part in training"]}],
    "countermeasures": [{"concept": "C-incentives", "actors": ["S-government", "S-enterprise"],
                         "addresses": ["P-enterprise-motivation", "P-legal-gap"],
                         "evidence": ["the government should grant tax incentives to enterprises"]}],
    "causes": [{"cause": "P-legal-gap", "effect": "P-enterprise-motivation", "evidence": ["without laws, so"]}],
    "stakeholders_mentioned": ["S-enterprise", "S-government"],
}}


def _statement(kind, concept, quote, **relations):
    return {"doc": "paper", "type": kind, "concept": concept, "quote": quote, **relations}


def test_relations_are_scored_as_sets_of_pairs_and_of_stakeholders_on_matched_statements():
    statements = [
        _statement("problem", "P-enterprise-motivation", "Enterprises are not keen to take part in training.",
                   involves=["S-enterprise", "S-student"], stakeholder_source="sentence"),
        _statement("problem", "P-legal-gap", "A sentence no gold quote has.", involves=["S-government"]),
        _statement("countermeasure", "C-incentives", "The government should grant tax incentives to enterprises.",
                   actors=["S-government"], stakeholder_source="section",
                   addresses=["P-enterprise-motivation", "P-formalism"]),
        _statement("cause", "P-legal-gap", "Without laws, so ...", effect="P-enterprise-motivation"),
        _statement("stakeholder", "S-enterprise", "Enterprises are not keen to take part in training."),
        _statement("stakeholder", "S-enterprise", "The government should grant tax incentives to enterprises."),
        {**_statement("stakeholder", "S-government", "x"), "doc": "unannotated"},
    ]
    report = score_relations(GOLD, statements)
    assert report["addresses"] == {"precision": 0.5, "recall": 0.5, "f1": 0.5, "system": 2, "gold": 2}
    assert report["causes"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0, "system": 1, "gold": 1}
    # only the statement that matches a gold quote counts: S-student is wrong, S-government's sentence unmatched
    assert report["involves"] == {"precision": 0.5, "recall": 1.0, "f1": 0.667, "system": 2, "gold": 1,
                                  "by_source": {"sentence": {"precision": 0.5, "system": 2}}}
    assert report["actors"] == {"precision": 1.0, "recall": 0.5, "f1": 0.667, "system": 1, "gold": 2,
                                "by_source": {"section": {"precision": 1.0, "system": 1}}}
    assert report["stakeholders mentioned"] == {"precision": 1.0, "recall": 0.5, "f1": 0.667, "system": 1, "gold": 2}


def test_with_the_documents_a_statement_must_stand_where_the_gold_quote_stands(tmp_path):
    from iei_kg.evaluate import DocumentTexts, score_statements

    background = "Many enterprises are not keen to take part in training, the literature says. "
    text = background + "Here enterprises are not keen to take part in training at all."
    (tmp_path / "paper.txt").write_text(text, encoding="utf-8")
    claim = text.index("Here")
    gold = {"paper": {"doc": "paper", "problems": [
        {"concept": "P-enterprise-motivation", "evidence": ["enterprises are not keen to take part in training at all"]}]}}
    elsewhere = {**_statement("problem", "P-enterprise-motivation", background.strip()), "start": 0,
                 "end": len(background) - 1}
    there = {**_statement("problem", "P-enterprise-motivation", text[claim:]), "start": claim, "end": len(text)}
    by_words = score_statements(gold, [elsewhere])["problem"]
    by_place = score_statements(gold, [elsewhere], DocumentTexts([tmp_path], {"paper"}))["problem"]
    assert by_words["f1"] == 1.0 and by_place["f1"] == 0.0
    assert score_statements(gold, [there], DocumentTexts([tmp_path]))["problem"]["f1"] == 1.0


def test_a_chinese_character_counts_as_half_a_word_towards_the_length_limit():
    from iei_kg.evaluate import quote_matches

    gold = "校企合作"
    long_sentence = gold + "。" + "政" * 150  # 154 characters: 77 words, under the 80-word limit
    assert quote_matches({"quote": long_sentence}, "paper", gold)
    assert not quote_matches({"quote": gold + "政" * 160}, "paper", gold)


def test_docs_that_are_not_a_folder_are_named():
    import pytest

    from iei_kg.errors import ConfigError
    from iei_kg.evaluate import DocumentTexts

    with pytest.raises(ConfigError, match="no-such-folder"):
        DocumentTexts(["no-such-folder"])
