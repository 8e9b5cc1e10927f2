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
