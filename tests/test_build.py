"""Build bookkeeping that needs no embedding model: a document whose extraction fails is skipped, not fatal."""

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
