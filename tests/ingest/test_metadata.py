"""Document metadata: from the text, from catalogue files in the corpus folder, from sidecars; in the RDF."""

from __future__ import annotations

import json

from rdflib import Literal
from rdflib import namespace as rdfns
from rdflib.namespace import DCTERMS

import pdf_samples as ps
from iei_kg.graph.rdf import doc_iri, document_graph
from iei_kg.ingest.catalogue import Catalogue
from iei_kg.ingest.catalogue_formats import parse_bibtex, parse_ris
from iei_kg.ingest.metadata import from_text, language
from iei_kg.ingest.readers import discover, read_document
from iei_kg.ontology.namespace import BIBO

PAPER = (
    "Research on the Development Model of Industry-Education Integration\n"
    "\n"
    "Li Fangyan¹² Zhao Hui¹\n"
    "Journal of Vocational Education, Vol. 12, 2021\n"
    "DOI: 10.69979/3041-0843.25.02.060\n"
    "Abstract: Vocational education serves as a critical link between education and industry (2014-2020).\n"
    "1. Introduction\n"
    "The integration of industry and education is the way forward for the colleges.\n"
)
POLICY = (
    "国务院办公厅关于深化产教融合的若干意见\n"
    "国办发〔2017〕95号\n"
    "各省、自治区、直辖市人民政府，国务院各部委、各直属机构：\n"
    "深化产教融合，促进教育链、人才链与产业链、创新链有机衔接，是当前推进人力资源供给侧结构性改革的迫切要求。\n"
)


def _write(folder, name, text, encoding="utf-8"):
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding=encoding)
    return path


# --- from the document ------------------------------------------------------------------------------------


def test_paper_metadata_from_its_text():
    meta = from_text(PAPER)
    assert meta.title == "Research on the Development Model of Industry-Education Integration"
    assert meta.authors == ["Li Fangyan", "Zhao Hui"]
    assert meta.doi == "10.69979/3041-0843.25.02.060"
    assert meta.year == 2021  # the volume line, not the years in the abstract or the DOI
    assert meta.language == "en"
    assert meta.type == "paper"
    assert meta.venue is None


def test_policy_metadata_from_its_text():
    meta = from_text(POLICY)
    assert meta.title == "国务院办公厅关于深化产教融合的若干意见"
    assert meta.language == "zh"
    assert meta.type == "policy"
    assert meta.year == 2017
    assert meta.authors is None  # the line under the title is a document number, not names


def test_text_starting_with_the_abstract_has_no_title():
    meta = from_text(" Abstract: This paper analyses the difficulties of integration.\n1. Introduction\nText.\n")
    assert meta.title is None and meta.type == "paper"


def test_author_lines():
    assert from_text("A Title Here\nLi Wang, Mei Chen and Jun Zhao\nText.").authors == ["Li Wang", "Mei Chen", "Jun Zhao"]
    assert from_text("产教融合研究\n王丽、陈梅\n正文。").authors == ["王丽", "陈梅"]
    assert from_text("A Title Here\nThis line is a sentence of the body text.\n").authors is None


def test_language_by_script():
    assert language("产教融合是职业教育改革的重要方向 (industry-education integration)。") == "zh"
    assert language("Industry-education integration is the way of the future and of the colleges.") == "en"
    assert language("職業教育とは、産業と教育の統合です。") == "ja"
    assert language("12345 ... ---") is None


def test_markdown_title_drops_the_hashes():
    assert from_text("# Deepening Cooperation\n\nText of it.\n", "text/markdown").title == "Deepening Cooperation"


def test_pdf_title_from_the_largest_type(tmp_path):
    sample = ps.two_column_paper(tmp_path / "paper.pdf", n_sentences=40)
    doc = read_document(sample.path)
    assert doc.title == ps.TITLE
    assert doc.authors == ["Li Wang", "Mei Chen", "Jun Zhao"]
    assert doc.doi == ps.DOI
    assert doc.language == "en" and doc.type == "paper"


# --- catalogue files and sidecars -------------------------------------------------------------------------


BIB = r"""
@string{jve = "Journal of Vocational Education"}
@article{wang2020,
  title = {{Deep} Integration of Industry and Education},
  author = {Wang, Li and Chen, Mei},
  journal = {Vocational and Technical Education},
  year = 2020,
  doi = {10.1234/VTE.2020.7},
  file = {Full Text:files/12/deep-integration.pdf:application/pdf},
}
@misc(policy2019, title = "National Vocational Education Reform Implementation Plan", type = {policy},
  year = "2019")
"""

RIS = """TY  - JOUR
ID  - zhang2018
TI  - School-Enterprise Cooperation in Higher Vocational Colleges
AU  - Zhang, Hua
AU  - Liu, Yang
PY  - 2018///
JO  - Chinese Vocational and Technical Education
DO  - https://doi.org/10.5555/cvte.2018.3
LA  - en
L1  - file:///home/u/Zotero/storage/AB12/coop-paper.pdf
ER  - 
"""

CSL = [{"id": "chen2022", "type": "article-journal", "title": "Teachers for Integration",
        "author": [{"family": "Chen", "given": "Jun"}, {"literal": "Ministry of Education"}],
        "issued": {"date-parts": [[2022, 5]]}, "container-title": "Education Research", "DOI": "10.7777/ER.22",
        "language": "zh"}]


def test_parsers():
    (kind, key, fields), (kind2, key2, fields2) = parse_bibtex(BIB)
    assert (kind, key) == ("article", "wang2020")
    assert fields["title"] == "{Deep} Integration of Industry and Education"
    assert fields["year"] == "2020"
    assert (kind2, key2, fields2["type"]) == ("misc", "policy2019", "policy")
    (record,) = parse_ris(RIS)
    assert record["AU"] == ["Zhang, Hua", "Liu, Yang"] and record["ID"] == ["zhang2018"]


def test_catalogue_matches_by_key_file_and_doi(tmp_path):
    _write(tmp_path, "refs.bib", BIB)
    _write(tmp_path, "zotero.ris", RIS)
    _write(tmp_path, "export.json", json.dumps(CSL))
    _write(tmp_path, "metadata.csv",
           "doc,title,authors,year,venue,doi,type,language\n"
           "csv-doc.txt,From the CSV,Wang Li; Chen Mei,2015,Some Venue,,policy,zh\n")
    cat = Catalogue.load(tmp_path)
    assert cat.problems == []
    by_file = cat.find("deep-integration", None)
    assert by_file.title == "Deep Integration of Industry and Education"
    assert by_file.authors == ["Wang, Li", "Chen, Mei"]
    assert (by_file.year, by_file.venue, by_file.doi, by_file.type) == (
        2020, "Vocational and Technical Education", "10.1234/VTE.2020.7", "paper")
    assert cat.find("wang2020", None) is by_file  # citation key
    assert cat.find("policy2019", None).type == "policy"
    ris = cat.find("coop-paper", None)
    assert (ris.year, ris.doi, ris.venue, ris.language) == (2018, "10.5555/cvte.2018.3",
                                                             "Chinese Vocational and Technical Education", "en")
    assert cat.find("some-file", "10.7777/er.22").authors == ["Chen, Jun", "Ministry of Education"]  # DOI, any case
    assert cat.find("some-file", None) is None
    row = cat.find("csv-doc", None)
    assert (row.title, row.authors, row.year, row.venue, row.type, row.language) == (
        "From the CSV", ["Wang Li", "Chen Mei"], 2015, "Some Venue", "policy", "zh")


def test_read_document_uses_catalogue_then_sidecar(tmp_path):
    corpus = tmp_path / "corpus"
    _write(corpus, "metadata.csv", "doc,title,authors,year,venue,doi,type,language\n"
                                   "paper-a,CSV Title,A. Author,2019,CSV Journal,,,\n")
    _write(corpus, "paper-a.txt", PAPER)
    doc = read_document(corpus / "paper-a.txt")
    assert (doc.title, doc.authors, doc.year, doc.venue) == ("CSV Title", ["A. Author"], 2019, "CSV Journal")
    assert doc.doi == "10.69979/3041-0843.25.02.060" and doc.language == "en"  # not in the CSV: from the text
    _write(corpus, "paper-a.json", json.dumps({"title": "Sidecar Title", "year": 2023, "type": "policy"}))
    doc = read_document(corpus / "paper-a.txt")
    assert (doc.title, doc.year, doc.type, doc.venue) == ("Sidecar Title", 2023, "policy", "CSV Journal")


def test_bib_sidecar_and_doi_match(tmp_path):
    _write(tmp_path, "b.txt", PAPER)
    _write(tmp_path, "b.bib", "@article{x, title={Bib Sidecar}, author={Li, Fang}, year={2024}}")
    doc = read_document(tmp_path / "b.txt")
    assert (doc.title, doc.authors, doc.year) == ("Bib Sidecar", ["Li, Fang"], 2024)
    other = tmp_path / "other"
    _write(other, "c.txt", PAPER)
    _write(other, "library.json", json.dumps([{"id": "nope", "DOI": "10.69979/3041-0843.25.02.060",
                                               "title": "Matched by DOI"}]))
    assert read_document(other / "c.txt").title == "Matched by DOI"


def test_catalogue_given_by_the_build_wins_over_the_folder(tmp_path):
    _write(tmp_path, "sub/d.txt", PAPER)
    _write(tmp_path, "metadata.csv", "doc,title\nd,Root Catalogue Title\n")
    _write(tmp_path, "sub/metadata.csv", "doc,title\nd,Sub Title\ne,Sub Title E\n")
    _write(tmp_path, "sub/e.txt", PAPER)
    cat = Catalogue.load(tmp_path, {"d", "e"})
    assert read_document(tmp_path / "sub/d.txt", catalogue=cat).title == "Root Catalogue Title"
    assert read_document(tmp_path / "sub/e.txt", catalogue=cat).title == "Sub Title E"  # the subfolder's own file


def test_broken_catalogue_file_is_a_problem_not_a_crash(tmp_path):
    _write(tmp_path, "broken.json", "{not json")
    _write(tmp_path, "metadata.csv", "title,year\nNo doc column,2020\n")
    cat = Catalogue.load(tmp_path)
    assert len(cat.problems) == 2
    assert all(": unreadable metadata file (" in p and "\n" not in p for p in cat.problems)


def test_metadata_files_are_not_documents(tmp_path):
    for name in ["a.txt", "a.json", "a.bib", "refs.bib", "zotero.ris", "metadata.csv", "export.json"]:
        _write(tmp_path, name, "x")
    assert discover(tmp_path) == [tmp_path / "a.txt"]


# --- RDF ------------------------------------------------------------------------------------------------


def test_document_node_carries_the_metadata(tmp_path):
    _write(tmp_path, "m.txt", PAPER)
    _write(tmp_path, "m.json", json.dumps({"authors": ["Li Fangyan", "Zhao Hui"], "venue": "J. Voc. Ed."}))
    source = read_document(tmp_path / "m.txt")
    g = document_graph(source, [], "0-test")
    doc = doc_iri("m")
    assert g.value(doc, DCTERMS.title) == Literal("Research on the Development Model of Industry-Education Integration")
    assert set(g.objects(doc, DCTERMS.creator)) == {Literal("Li Fangyan"), Literal("Zhao Hui")}
    assert g.value(doc, DCTERMS.date) == Literal("2021", datatype=rdfns.XSD.gYear)
    assert g.value(doc, DCTERMS.language) == Literal("en")
    assert g.value(doc, BIBO.doi) == Literal("10.69979/3041-0843.25.02.060")
    assert g.value(doc, DCTERMS.type) == Literal("paper")
    assert g.value(doc, DCTERMS.isPartOf) == Literal("J. Voc. Ed.")


# --- build -----------------------------------------------------------------------------------------------


def test_build_writes_metadata_and_a_metadata_change_rebuilds_only_that_document(tmp_path):
    import iei_kg
    from iei_kg.config import ExtractorConfig

    corpus, kg = tmp_path / "corpus", tmp_path / "kg"
    _write(corpus, "paper-a.txt", PAPER)
    _write(corpus, "policy-b.txt", POLICY)
    config = ExtractorConfig(embedding_model="none")
    first = iei_kg.build(corpus, kg, config)
    assert sorted(first.built) == ["paper-a", "policy-b"]
    again = iei_kg.build(corpus, kg, config)
    assert again.built == [] and sorted(again.unchanged) == ["paper-a", "policy-b"]

    _write(corpus, "refs.bib", "@article{paper-a, title={A Better Title}, author={Li, Fangyan}, year={2022},"
                               " journal={Vocational Education Review}}")
    third = iei_kg.build(corpus, kg, config)
    assert third.built == ["paper-a"] and third.unchanged == ["policy-b"]
    with iei_kg.open_graph(kg) as graph:
        rows = {(r["p"].value, r["o"].value) for r in graph.store.query(
            "SELECT ?p ?o WHERE { <https://w3id.org/iei-kg/doc/paper-a> ?p ?o }")}
    assert ("http://purl.org/dc/terms/title", "A Better Title") in rows
    assert ("http://purl.org/dc/terms/creator", "Li, Fangyan") in rows
    assert ("http://purl.org/dc/terms/date", "2022") in rows
    assert ("http://purl.org/dc/terms/isPartOf", "Vocational Education Review") in rows
    assert ("http://purl.org/ontology/bibo/doi", "10.69979/3041-0843.25.02.060") in rows
