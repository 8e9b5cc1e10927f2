"""The command line over a hand-built graph folder (no `build`, no `ask`: those load the models)."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import networkx as nx
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "graph"))

import iei_sample as sample  # noqa: E402
from iei_kg.cli import EXIT_ERROR, EXIT_OK, main  # noqa: E402
from iei_kg.query.named import named_queries  # noqa: E402

MENTION_KEYS = {"doc", "type", "concept", "label", "quote", "start", "end", "page", "section", "actors", "addresses",
                "confidence"}
COUNTERMEASURES = ["query", "countermeasures-for-problem", "--param", "problem=P-enterprise-motivation"]


@pytest.fixture(scope="module")
def kg(tmp_path_factory) -> str:
    return str(sample.make_kg(tmp_path_factory.mktemp("kg")))


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def one_line_error(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("iei-kg: ")
    assert "Traceback" not in err
    return lines[0]


def test_query_list_names_every_query(capsys):
    code, out, err = run(capsys, "query", "--list")
    assert code == EXIT_OK
    lines = out.splitlines()
    queries = named_queries()
    assert len(lines) == len(queries) >= 7
    for name, query in queries.items():
        line = next(line for line in lines if line.startswith(f"{name}: "))
        assert query.description in line
        for param, (kind, _) in query.params.items():
            assert f"{param} ({kind})" in line
    assert "[limit (limit), offset (offset)]" in next(line for line in lines if line.startswith("concept-cooccurrence: "))


def test_query_json(capsys, kg):
    code, out, err = run(capsys, *COUNTERMEASURES, "--kg", kg, "--format", "json")
    assert code == EXIT_OK, err
    rows = json.loads(out)
    assert len(rows) == 1
    row = rows[0]
    assert row["concept"].endswith("/concept/C-incentives")
    assert row["quote"] == sample.COUNTERMEASURE_SENTENCE
    assert (row["start"], row["end"]) == sample.span(sample.COUNTERMEASURE_SENTENCE)
    assert row["relevance"] == 0.712 and row["method"] == "scheme"
    assert row["label"] == "incentives for enterprises"


def test_query_csv(capsys, kg):
    code, out, err = run(capsys, *COUNTERMEASURES, "--kg", kg, "--format", "csv")
    assert code == EXIT_OK, err
    reader = csv.DictReader(io.StringIO(out))
    assert reader.fieldnames[:3] == ["problem", "concept", "label"]
    assert "relevance" in reader.fieldnames
    rows = list(reader)
    assert len(rows) == 1
    assert rows[0]["quote"] == sample.COUNTERMEASURE_SENTENCE
    assert rows[0]["relevance"] == "0.712"
    assert rows[0]["page"] == ""


def test_query_table(capsys, kg):
    code, out, err = run(capsys, *COUNTERMEASURES, "--kg", kg)  # table is the default
    assert code == EXIT_OK, err
    lines = out.splitlines()
    assert lines[0].split() == ["problem", "concept", "label", "docId", "quote", "start", "end", "page", "confidence",
                                "relevance", "method"]
    assert lines[-1] == "(1 rows)"
    assert len(lines) == 3
    assert "incentives for enterprises" in lines[1] and "paper-a" in lines[1]
    assert "The government should offer tax incentives" in lines[1]
    assert all(len(cell) <= 70 for cell in lines[1].split("  "))


def test_query_with_no_rows(capsys, kg):
    code, out, _ = run(capsys, "query", "countermeasures-for-problem", "--param", "problem=P-unclear-rights-interests",
                         "--kg", kg)
    assert code == EXIT_OK
    assert out.splitlines()[-1] == "(0 rows)"


def test_query_injection_text_is_just_a_value(capsys, kg):
    code, out, err = run(capsys, "query", "countermeasures-for-problem", "--kg", kg, "--format", "json",
                         "--param", "problem=P-enterprise-motivation> } ; ?s ?p ?o . } #")
    assert code == EXIT_ERROR
    assert out == ""
    assert "no concept 'P-enterprise-motivation> } ; ?s ?p ?o . } #' in this graph" in one_line_error(err)


def test_query_for_a_misspelt_concept_says_which_it_may_be(capsys, kg):
    code, out, err = run(capsys, "query", "countermeasures-for-problem", "--param", "problem=P-enterprise-motivaton",
                         "--kg", kg)
    assert code == EXIT_ERROR
    assert out == ""
    assert "did you mean P-enterprise-motivation" in one_line_error(err)


def test_unknown_query(capsys, kg):
    code, out, err = run(capsys, "query", "nonexistent", "--kg", kg)
    assert code == EXIT_ERROR
    assert out == ""
    line = one_line_error(err)
    assert "unknown query 'nonexistent'" in line
    assert "countermeasures-for-problem" in line


def test_param_without_equals(capsys, kg):
    code, out, err = run(capsys, "query", "countermeasures-for-problem", "--param", "missing_equals", "--kg", kg)
    assert code == EXIT_ERROR
    assert "--param wants key=value, not 'missing_equals'" in one_line_error(err)


def test_missing_and_unknown_params(capsys, kg):
    code, _, err = run(capsys, "query", "countermeasures-for-problem", "--kg", kg)
    assert code == EXIT_ERROR
    assert "--param problem=..." in one_line_error(err)
    code, _, err = run(capsys, *COUNTERMEASURES, "--param", "colour=red", "--kg", kg)
    assert code == EXIT_ERROR
    assert "no parameter colour" in one_line_error(err)


def test_query_without_a_name(capsys, kg):
    code, _, err = run(capsys, "query", "--kg", kg)
    assert code == EXIT_ERROR
    assert "query --list" in one_line_error(err)


def test_query_file(capsys, kg, tmp_path):
    path = tmp_path / "docs.rq"
    path.write_text("# Document ids.\nPREFIX dcterms: <http://purl.org/dc/terms/>\n"
                    "SELECT ?id WHERE { ?d dcterms:identifier ?id }\n", encoding="utf-8")
    code, out, err = run(capsys, "query", str(path), "--kg", kg, "--format", "json")
    assert code == EXIT_OK, err
    assert json.loads(out) == [{"id": "paper-a"}]


def test_export_mentions(capsys, kg, tmp_path):
    path = tmp_path / "mentions.jsonl"
    code, out, err = run(capsys, "export", "mentions", "-o", str(path), "--kg", kg)
    assert code == EXIT_OK, err
    assert f"4 records -> {path}" in err
    lines = path.read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert len(records) == len(sample.statements()) == 4
    for record in records:
        assert MENTION_KEYS <= set(record), MENTION_KEYS - set(record)
        assert sample.TEXT[record["start"]:record["end"]] == record["quote"]
    by_type = {r["type"]: r for r in records if r["concept"] != "C-candidate-virtual-simulation-lab"}
    assert by_type["countermeasure"]["addresses"] == ["P-enterprise-motivation"]
    assert by_type["countermeasure"]["actors"] == ["S-government"]
    assert by_type["problem"]["involves"] == ["S-enterprise"]
    assert by_type["cause"]["effect"] == "P-enterprise-motivation"


def test_export_mentions_to_stdout(capsys, kg):
    code, out, err = run(capsys, "export", "mentions", "--kg", kg)
    assert code == EXIT_OK, err
    assert len([json.loads(line) for line in out.splitlines()]) == 4


def test_export_graphml(capsys, kg, tmp_path):
    path = tmp_path / "graph.graphml"
    code, _, err = run(capsys, "export", "graphml", "-o", str(path), "--kg", kg)
    assert code == EXIT_OK, err
    graph = nx.read_graphml(path, force_multigraph=True)
    assert graph.nodes["C-incentives"]["kind"] == "countermeasure"
    assert graph.nodes["C-incentives"]["label"] == "incentives for enterprises"
    assert {d["relation"] for _, _, d in graph.edges(data=True)} == {"addresses", "actor", "involves", "causes"}


@pytest.mark.parametrize("what", [["mentions"], ["graphml"], ["rdf", "--format", "nquads"]])
def test_export_into_a_missing_folder_is_a_one_line_error(capsys, kg, tmp_path, what):
    path = tmp_path / "missing" / "x.out"
    code, _, err = run(capsys, "export", *what, "-o", str(path), "--kg", kg)
    assert code == EXIT_ERROR
    assert one_line_error(err) == f"iei-kg: cannot write {path}: the folder {path.parent} does not exist"
    assert not path.parent.exists()


def test_export_onto_a_folder_is_a_one_line_error(capsys, kg, tmp_path):
    code, _, err = run(capsys, "export", "mentions", "-o", str(tmp_path), "--kg", kg)
    assert code == EXIT_ERROR
    assert one_line_error(err) == f"iei-kg: cannot write {tmp_path}: it is a folder"


def test_concepts_candidates(capsys, kg):
    code, out, err = run(capsys, "concepts", "--candidates", "--kg", kg, "--embedding-model", "none")
    assert code == EXIT_OK, err
    [line] = out.splitlines()
    kind, label, counts, concepts, example = line.split("\t")
    assert (kind, label, concepts) == ("countermeasure", "virtual simulation lab", "C-candidate-virtual-simulation-lab")
    assert counts == "1 statement(s) in 1 document(s)" and example.startswith('"')


@pytest.mark.parametrize("argv", [
    ["query", "countermeasures-for-problem", "--param", "problem=P-x"],
    ["export", "mentions"],
    ["concepts", "--candidates"],
])
def test_unbuilt_folder_says_to_build(capsys, tmp_path, argv):
    code, out, err = run(capsys, *argv, "--kg", str(tmp_path))
    assert code == EXIT_ERROR
    assert out == ""
    line = one_line_error(err)
    assert "iei-kg build" in line and str(tmp_path) in line
    assert list(tmp_path.iterdir()) == []  # nothing was created there


@pytest.mark.parametrize("make_corpus", [lambda p: p / "missing", lambda p: (p / "empty").mkdir() or p / "empty"])
def test_build_refuses_a_missing_or_empty_corpus_and_creates_nothing(capsys, tmp_path, make_corpus):
    corpus = make_corpus(tmp_path)
    code, out, err = run(capsys, "build", str(corpus), "--kg", str(tmp_path / "kg"))
    assert code == EXIT_ERROR
    assert str(corpus) in one_line_error(err)
    assert not (tmp_path / "kg").exists()  # an existing graph would not be emptied either


def test_eval_prints_statement_and_relation_tables(capsys, kg, tmp_path):
    gold = {"doc": "paper-a",
            "problems": [{"concept": "P-enterprise-motivation", "stakeholders": ["S-enterprise"],
                          "evidence": [sample.PROBLEM_SENTENCE]}],
            "countermeasures": [{"concept": "C-incentives", "actors": ["S-government"],
                                 "addresses": ["P-enterprise-motivation"], "evidence": [sample.COUNTERMEASURE_SENTENCE]}],
            "causes": [], "stakeholders_mentioned": ["S-enterprise"]}
    (tmp_path / "paper-a.json").write_text(json.dumps(gold), encoding="utf-8")
    code, out, err = run(capsys, "eval", "--gold", str(tmp_path), "--kg", kg)
    assert code == EXIT_OK, err
    lines = out.splitlines()
    assert lines[0] == ("documents annotated: 1; matched by place as well as words: 0 "
                        "(give --docs to check places)")
    assert lines[2].split()[:4] == ["problem", "1.0", "1.0", "1.0"]
    assert [line.split()[0] for line in lines[6:]] == ["addresses", "causes", "involves", "read", "actors", "read",
                                                       "stakeholders"]
    assert lines[9].split() == ["read", "from", "sentence", "1.0", "1"]  # the sample problem names its stakeholder
    assert lines[11].split() == ["read", "from", "heading", "1.0", "1"]  # the sample measure's actor is its heading's
    code, out, _ = run(capsys, "eval", "--gold", str(tmp_path), "--kg", kg, "--json")
    assert json.loads(out)["relations"]["addresses"]["recall"] == 1.0
