"""Build bookkeeping that needs no embedding model: a document whose extraction fails is skipped, not fatal."""

import pytest

import iei_kg
from iei_kg.config import ExtractorConfig
from iei_kg.extract.document import Extractor

TEXT = "1. Problems\nEnterprises lack the motivation to take part in school-enterprise cooperation.\n"


def test_a_document_whose_extraction_fails_is_skipped_and_the_rest_built(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.txt").write_text(TEXT)
    (corpus / "trouble.txt").write_text(TEXT.replace("Enterprises", "Firms"))
    real_extract = Extractor.extract

    def extract(self, source):
        if source.doc_id == "trouble":
            raise ValueError("a pathological text")
        return real_extract(self, source)

    monkeypatch.setattr(Extractor, "extract", extract)
    report = iei_kg.build(corpus, tmp_path / "kg", ExtractorConfig(embedding_model="none"))
    assert report.built == ["good"]
    assert report.skipped == [(str(corpus / "trouble.txt"), "extraction failed (ValueError: a pathological text)")]
    with iei_kg.open_graph(tmp_path / "kg") as kg:
        assert {s["doc"] for s in kg.statements()} == {"good"}


def _two_documents(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(TEXT)
    (corpus / "b.txt").write_text(TEXT.replace("Enterprises", "Firms"))
    return corpus


def test_a_no_change_rebuild_reads_no_file(tmp_path, monkeypatch):
    corpus, config = _two_documents(tmp_path), ExtractorConfig(embedding_model="none")
    assert sorted(iei_kg.build(corpus, tmp_path / "kg", config).built) == ["a", "b"]

    def read_document(*args, **kwargs):
        raise AssertionError("an unchanged file was read")

    monkeypatch.setattr("iei_kg.parallel.read_document", read_document)
    report = iei_kg.build(corpus, tmp_path / "kg", config)
    assert sorted(report.unchanged) == ["a", "b"] and report.built == []


def test_a_changed_file_or_catalogue_record_is_built_again(tmp_path):
    corpus, config = _two_documents(tmp_path), ExtractorConfig(embedding_model="none")
    iei_kg.build(corpus, tmp_path / "kg", config)
    (corpus / "a.txt").write_text(TEXT + "Teachers lack practical experience in enterprises.\n")
    assert iei_kg.build(corpus, tmp_path / "kg", config).built == ["a"]
    (corpus / "metadata.csv").write_text("doc,title,year\nb,A study of firms,2021\n")
    assert iei_kg.build(corpus, tmp_path / "kg", config).built == ["b"]
    (corpus / "metadata.csv").unlink()  # a record taken away is a change too
    assert iei_kg.build(corpus, tmp_path / "kg", config).built == ["b"]


def test_an_edited_concept_scheme_reaches_every_document(tmp_path):
    from iei_kg.ontology.scheme import default_scheme_path

    corpus = _two_documents(tmp_path)
    scheme = tmp_path / "concepts.ttl"
    scheme.write_text(default_scheme_path().read_text(encoding="utf-8"), encoding="utf-8")
    config = ExtractorConfig(embedding_model="none", scheme_path=str(scheme))
    iei_kg.build(corpus, tmp_path / "kg", config)
    scheme.write_text(scheme.read_text(encoding="utf-8") + "\n# curated\n", encoding="utf-8")
    events = []
    report = iei_kg.build(corpus, tmp_path / "kg", config, on_event=lambda kind, message: events.append(kind))
    assert sorted(report.built) == ["a", "b"] and "warning" in events
    assert iei_kg.build(corpus, tmp_path / "kg", config).built == []


def test_the_per_document_work_composes_outside_build(tmp_path):
    """What a distributed engine would do: map process_one over the files, load each result's N-Triples into a
    store; the statements are those of `build`."""
    from iei_kg.graph.store import Store
    from iei_kg.parallel import process_one

    corpus, config = _two_documents(tmp_path), ExtractorConfig(embedding_model="none")
    iei_kg.build(corpus, tmp_path / "kg-built", config)
    extractor = Extractor(config)
    results = [process_one(path, extractor) for path in sorted(corpus.glob("*.txt"))]
    assert all(r.error is None and r.ntriples for r in results)
    with Store(tmp_path / "kg-mapped", create=True) as store:
        for result in results:
            store.replace_document(result.source.doc_id, result.ntriples)

    def statements(kg):
        with iei_kg.open_graph(kg) as graph:
            return sorted((s["doc"], s["type"], s["concept"], s["quote"], s["start"]) for s in graph.statements())

    assert statements(tmp_path / "kg-mapped") == statements(tmp_path / "kg-built") != []


def test_without_sentence_embeddings_countermeasures_still_address_problems(tmp_path):
    """The encoder is an optional extra: the scheme's remedies, mirrored sections and explicit wording still pair
    a document's countermeasures with its problems."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(TEXT + "2. Countermeasures\n"
                                  "The government should offer tax incentives to enterprises that take part in cooperation.\n")
    iei_kg.build(corpus, tmp_path / "kg", ExtractorConfig(embedding_model="none"))
    with iei_kg.open_graph(tmp_path / "kg") as kg:
        countermeasures = [s for s in kg.statements() if s["type"] == "countermeasure"]
    assert [s["concept"] for s in countermeasures] == ["C-incentives"]
    assert countermeasures[0]["addresses"] == ["P-enterprise-motivation"]


def test_a_chinese_candidate_keeps_its_own_label(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "zh.txt").write_text("二、主要措施\n行业协会应定期举办会员大会。\n", encoding="utf-8")  # no concept fits
    iei_kg.build(corpus, tmp_path / "kg", ExtractorConfig(embedding_model="none"))
    with iei_kg.open_graph(tmp_path / "kg") as kg:
        candidates = [s for s in kg.statements() if "-candidate-" in s["concept"]]
    assert candidates and all(s["label"] != s["concept"] and "行业协会" in s["label"] for s in candidates)


def _summary(kg) -> set[str]:
    import pyoxigraph as ox

    from iei_kg.graph.store import Store
    from iei_kg.ontology.namespace import SUMMARY_GRAPH

    with Store(kg) as store:
        dump = store.oxi.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(SUMMARY_GRAPH))
    return set(dump.decode("utf-8").splitlines())


@pytest.mark.parametrize("change", ["a document written", "a document removed"])
def test_an_update_build_cut_short_before_the_summary_is_finished_by_the_next(tmp_path, monkeypatch, change):
    """Issue 23: a build stopped (kill -9, Ctrl-C) after it wrote or removed a document, before the corpus summary
    was refreshed, left the summary stale for every later build ("0 built, N unchanged")."""
    from iei_kg.graph.store import Store

    corpus, config = _two_documents(tmp_path), ExtractorConfig(embedding_model="none")
    (corpus / "c.txt").write_text("Teachers lack practical experience in enterprises.\n")
    iei_kg.build(corpus, tmp_path / "kg", config)
    if change == "a document written":
        (corpus / "a.txt").write_text("Teachers lack practical experience in enterprises.\n"
                                      "Schools lack funds for training bases.\n")
    else:
        (corpus / "b.txt").unlink()

    def interrupted(self):
        raise KeyboardInterrupt  # as Ctrl-C at the summary step

    monkeypatch.setattr(Store, "refresh_summary", interrupted)
    with pytest.raises(KeyboardInterrupt):
        iei_kg.build(corpus, tmp_path / "kg", config)
    monkeypatch.undo()

    iei_kg.build(corpus, tmp_path / "kg", config)  # a plain build, no --force
    iei_kg.build(corpus, tmp_path / "clean", config)
    assert _summary(tmp_path / "kg") == _summary(tmp_path / "clean")
    assert iei_kg.build(corpus, tmp_path / "kg", config).built == []  # and it stays so
    assert _summary(tmp_path / "kg") == _summary(tmp_path / "clean")


def test_a_no_change_rebuild_does_not_recompute_the_summary(tmp_path, monkeypatch):
    from iei_kg.graph.store import Store

    corpus, config = _two_documents(tmp_path), ExtractorConfig(embedding_model="none")
    iei_kg.build(corpus, tmp_path / "kg", config)

    def refresh(self):
        raise AssertionError("the summary was recomputed though nothing changed")

    monkeypatch.setattr(Store, "refresh_summary", refresh)
    assert iei_kg.build(corpus, tmp_path / "kg", config).built == []
