"""The whole pipeline on the demo corpus (real models): quality floors, evidence, bad files, incremental builds."""

import json
import shutil
from pathlib import Path

import pytest

import iei_kg
from iei_kg.ingest import read_document
from iei_kg.cli import main
from iei_kg.evaluate import evaluate

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    corpus = tmp_path_factory.mktemp("corpus")
    for path in (ROOT / "corpus").iterdir():
        shutil.copy(path, corpus / path.name)
    # Bad files beside the good ones: each is reported and skipped, the rest is built.
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "damaged.pdf").write_bytes(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog")
    (corpus / "junk.txt").write_bytes(bytes(range(256)) * 20)
    _write_pdf(corpus / "policy-brief.pdf")
    kg = tmp_path_factory.mktemp("kg")
    report = iei_kg.build(corpus, kg)
    return corpus, kg, report


PDF_PAGES = [
    ["1. Problems", "Enterprises lack the motivation to take part in school-enterprise cooperation.",
     "The cooperation between schools and enterprises is loose and short-term."],
    ["2. Countermeasures", "The government should give enterprises tax incentives and special subsidies.",
     "Schools and enterprises should build long-term cooperation mechanisms with regular communication."],
]


def _write_pdf(path: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=A4)
    for lines in PDF_PAGES:
        y = 780
        for line in lines:
            pdf.drawString(60, y, line)
            y -= 24
        pdf.showPage()
    pdf.save()


def test_bad_files_are_skipped_and_the_rest_built(demo):
    _, _, report = demo
    assert sorted(Path(p).name for p, _ in report.skipped) == ["damaged.pdf", "empty.txt", "junk.txt"]
    reasons = dict((Path(p).name, r) for p, r in report.skipped)
    assert "empty" in reasons["empty.txt"] and "binary" in reasons["junk.txt"]
    assert sorted(report.built) == sorted([p.stem for p in (ROOT / "corpus").iterdir()] + ["policy-brief"])


def test_pdf_statements_carry_their_page(demo):
    _, kg, _ = demo
    statements = [s for s in iei_kg.open_graph(kg).statements() if s["doc"] == "policy-brief"]
    by_quote = {" ".join(s["quote"].split()): s for s in statements if s["type"] in ("problem", "countermeasure")}
    for page, lines in enumerate(PDF_PAGES, 1):
        for line in lines[1:]:
            assert by_quote[line]["page"] == page
    assert by_quote[PDF_PAGES[0][1]]["type"] == "problem"
    assert by_quote[PDF_PAGES[1][1]]["type"] == "countermeasure"
    assert by_quote[PDF_PAGES[1][1]]["concept"] == "C-incentives"
    assert "S-government" in by_quote[PDF_PAGES[1][1]]["actors"]


def test_rebuild_without_changes_reprocesses_nothing_and_exit_status_reports_skips(demo, capsys):
    corpus, kg, _ = demo
    status = main(["build", str(corpus), "--kg", str(kg), "--quiet"])
    captured = capsys.readouterr()
    assert status == 3  # built with skipped files
    assert "0 built, 6 unchanged" in captured.out
    assert captured.err.count("skipped:") == 3 and "empty.txt" in captured.err


def test_quality_floors_on_the_annotated_demo_papers(demo):
    corpus, kg, _ = demo
    # with the documents: a statement counts only where it stands at the gold quote (the scorer's --docs rule)
    report = evaluate(iei_kg.open_graph(kg), DATA / "gold", DATA / "questions-dev.tsv", docs=[corpus])
    assert report["placed"] == sorted(report["documents"])
    statements = report["statements"]
    # Floors a little under the figures measured when they were set (docs/quality.md). The concept accuracy here is
    # in-sample (the shipped linker learnt from these papers); the leave-one-document-out figures are in bench/.
    assert statements["problem"]["f1"] >= 0.83
    assert statements["countermeasure"]["f1"] >= 0.85
    assert statements["problem"]["concept_accuracy"] >= 0.87
    assert statements["countermeasure"]["concept_accuracy"] >= 0.89
    assert report["questions"]["mean"]["precision"] >= 0.89
    assert report["questions"]["mean"]["concept_recall"] >= 0.66
    relations = report["relations"]
    assert relations["involves"]["f1"] >= 0.64
    assert relations["actors"]["f1"] >= 0.60
    assert relations["addresses"]["f1"] >= 0.53
    assert relations["causes"]["f1"] >= 0.37
    assert relations["stakeholders mentioned"]["f1"] >= 0.87
    assert all(q["resolved"] == expected for q, (_, expected, _) in
               zip(report["questions"]["questions"], iei_kg.evaluate.read_questions(DATA / "questions-dev.tsv")))


def test_demo_question_answers_with_exact_quotes(demo):
    corpus, kg, _ = demo
    result = iei_kg.open_graph(kg).ask("Which countermeasures address low enterprise motivation?")
    assert result["concept"] == "P-enterprise-motivation"
    concepts = [a["concept"] for a in result["answers"]]
    expected = {"C-incentives", "C-joint-training", "C-enterprise-mindset", "C-enterprise-voice", "C-long-term-cooperation"}
    assert expected <= set(concepts)
    # C-incentives and C-enterprise-mindset are each proposed against it in two documents (near-tie on confidence).
    assert "C-incentives" in concepts[:2]
    for answer in result["answers"]:
        assert answer["evidence"], answer
        for e in answer["evidence"]:
            text = read_document(next(corpus.glob(f"{e['doc']}.*"))).text  # the PDF's text as the build read it
            assert text[e["start"]:e["end"]] == e["quote"]


def test_an_answer_names_the_concepts_that_came_almost_as_close(demo, capsys):
    _, kg, _ = demo
    question = "What can be done when cooperation is only on paper and enterprises do not care?"
    with iei_kg.open_graph(kg) as graph:  # closed before the command line opens the store
        assert graph.ask("Which countermeasures address low enterprise motivation?")["alternatives"] == []  # its label
        result = graph.ask(question)
    assert result["concept"] == "P-formalism"  # cooperation on paper wins over loose cooperation by a hair
    assert [a["concept"] for a in result["alternatives"]][:1] == ["P-weak-cooperation-mechanism"]
    assert main(["ask", question, "--kg", str(kg)]) == 0
    assert "almost as close: P-weak-cooperation-mechanism: imperfect cooperation and operation mechanism" in capsys.readouterr().out


def test_questions_in_chinese_about_documents_and_about_a_stakeholder(demo, capsys):
    corpus, kg, _ = demo
    with iei_kg.open_graph(kg) as graph:
        chinese = graph.ask("哪些对策能解决企业参与积极性不高的问题？")  # the English papers answer a Chinese question
        papers = graph.ask("Which papers discuss tax incentives?")
        teachers = graph.ask("What do the documents say about teachers?")
        how = graph.ask("How can enterprise participation be increased?")
    assert how["query"] == "countermeasures-for-problem" and how["concept"] == "P-enterprise-motivation"
    assert how["answers"] and all(a["concept"].startswith("C-") for a in how["answers"])
    assert chinese["concept"] == "P-enterprise-motivation" and "C-incentives" in [a["concept"] for a in chinese["answers"]]
    # documents are the answers of a question for documents, most statements first
    assert papers["concept"] == "C-incentives" and papers["answers"]
    assert all(set(a) == {"doc", "title", "statements"} and a["statements"] > 0 for a in papers["answers"])
    assert [a["statements"] for a in papers["answers"]] == sorted((a["statements"] for a in papers["answers"]), reverse=True)
    # a stakeholder's evidence: the problem and countermeasure sentences that name it
    assert teachers["concept"] == "S-teacher"
    quotes = [e["quote"] for a in teachers["answers"] for e in a["evidence"]]
    assert quotes and all("teacher" in q.lower() for q in quotes)
    assert main(["ask", "Which papers discuss tax incentives?", "--kg", str(kg)]) == 0
    assert "statement(s)" in capsys.readouterr().out


def test_unanswerable_question_says_so(demo, capsys):
    _, kg, _ = demo
    status = main(["ask", "Which countermeasures address the constraints of small and medium enterprises?",
                   "--kg", str(kg), "--json"])
    result = json.loads(capsys.readouterr().out)
    assert status == 0 and result["concept"] == "P-sme-constraints"
    # Whatever is returned must come with evidence; nothing is invented.
    assert all(a["evidence"] for a in result["answers"])


def test_export_mentions_has_every_statement_type(demo, tmp_path):
    _, kg, _ = demo
    out = tmp_path / "mentions.jsonl"
    assert main(["export", "mentions", "--kg", str(kg), "-o", str(out)]) == 0
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert {r["type"] for r in records} == {"problem", "countermeasure", "cause", "stakeholder"}
    assert all(r["doc"] and r["quote"] and r["end"] > r["start"] for r in records)
    # where each statement's stakeholders were read: every statement with some says, and the demo has all three
    with_stakeholders = [r for r in records if r["actors"] or r["involves"]]
    assert all(r["stakeholder_source"] in ("sentence", "heading", "section") for r in with_stakeholders)
    assert {r["stakeholder_source"] for r in with_stakeholders} == {"sentence", "heading", "section"}
    assert all(r["stakeholder_source"] is None for r in records if not (r["actors"] or r["involves"]))


def test_two_workers_build_the_same_graph(demo, tmp_path):
    corpus, kg, _ = demo
    report = iei_kg.build(corpus, tmp_path / "kg2", workers=2)
    assert sorted(report.built) == sorted(iei_kg.build(corpus, kg).unchanged), report.skipped

    def key(s):
        return s["doc"], s["type"], s["concept"], s["start"], s["end"], tuple(s["addresses"]), tuple(s["actors"])

    with iei_kg.open_graph(kg) as one, iei_kg.open_graph(tmp_path / "kg2") as two:
        assert sorted(map(key, one.statements())) == sorted(map(key, two.statements()))
