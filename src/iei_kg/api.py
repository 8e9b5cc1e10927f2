"""The Python API that the CLI is a thin layer over; usable from a notebook.

    import iei_kg
    iei_kg.build("corpus", "kg")
    kg = iei_kg.open_graph("kg")
    kg.ask("Which countermeasures address low enterprise motivation?")
"""

from __future__ import annotations

import json
from functools import cached_property
from pathlib import Path
from typing import Iterator

from iei_kg.build import BuildReport
from iei_kg.build import build as _build
from iei_kg.config import ExtractorConfig
from iei_kg.errors import OutputError
from iei_kg.graph.store import Store
from iei_kg.query.named import named_queries, resolve_query, run_query

STATEMENTS_SPARQL = """
PREFIX iei: <https://w3id.org/iei-kg/ontology#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?statement ?type ?docId ?concept ?label ?quote ?start ?end ?page ?section ?confidence ?effect ?stakeholderSource
       (GROUP_CONCAT(DISTINCT STR(?actor); separator=" ") AS ?actors)
       (GROUP_CONCAT(DISTINCT STR(?addressed); separator=" ") AS ?addresses)
       (GROUP_CONCAT(DISTINCT STR(?involved); separator=" ") AS ?involves)
WHERE {
  ?statement a ?type ; iei:concept ?concept ; iei:document ?doc ; iei:confidence ?confidence ; iei:evidence ?ev .
  FILTER(?type IN (iei:ProblemStatement, iei:CountermeasureStatement, iei:CauseStatement, iei:StakeholderMention))
  ?doc dcterms:identifier ?docId .
  ?ev oa:hasTarget/oa:hasSelector ?q, ?p .
  ?q a oa:TextQuoteSelector ; oa:exact ?quote .
  ?p a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end .
  OPTIONAL { ?ev iei:page ?page }
  OPTIONAL { ?statement iei:section ?section }
  OPTIONAL { ?statement iei:effect ?effect }
  # the label the build wrote on the statement (a Chinese candidate's is @zh), else the concept's English one
  OPTIONAL { ?statement iei:conceptLabel ?ownLabel }
  OPTIONAL { ?concept skos:prefLabel ?englishLabel FILTER(lang(?englishLabel) = "en") }
  BIND(COALESCE(?ownLabel, ?englishLabel) AS ?label)
  OPTIONAL { ?statement iei:actor ?actor }
  OPTIONAL { ?statement iei:addresses ?addressed }
  OPTIONAL { ?statement iei:involves ?involved }
  OPTIONAL { ?statement iei:stakeholderSource ?stakeholderSource }
}
GROUP BY ?statement ?type ?docId ?concept ?label ?quote ?start ?end ?page ?section ?confidence ?effect ?stakeholderSource
ORDER BY ?docId ?start ?type ?concept ?statement
"""
TYPES = {"ProblemStatement": "problem", "CountermeasureStatement": "countermeasure", "CauseStatement": "cause",
         "StakeholderMention": "stakeholder"}


def build(corpus_dir: str | Path, kg_dir: str | Path = "kg", config: ExtractorConfig | None = None,
          force: bool = False, on_event=None, workers: int = 1) -> BuildReport:
    """Build or update the graph of a corpus folder; see `iei_kg.build.build`."""
    return _build(corpus_dir, kg_dir, config, force=force, on_event=on_event, workers=workers)


class KnowledgeGraph:
    """A built graph folder: named queries, questions, statements, exports."""

    def __init__(self, kg_dir: str | Path = "kg", config: ExtractorConfig | None = None):
        self.kg_dir = Path(kg_dir)
        self.store = Store(self.kg_dir)
        self.config = config

    def close(self) -> None:
        """Release the store (another process may then open it)."""
        self.store.close()

    def __enter__(self) -> "KnowledgeGraph":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @cached_property
    def extractor(self):
        """The models, for questions: loaded on first use."""
        from iei_kg.extract.document import Extractor

        return Extractor(self.config)

    def queries(self) -> dict:
        return named_queries()

    def query(self, name_or_file: str, params: dict[str, str] | None = None) -> tuple[list[str], list[dict]]:
        """Run a named query (or .rq file) with parameters bound as RDF terms: (columns, rows)."""
        return run_query(self.store, resolve_query(name_or_file), params)

    def ask(self, question: str) -> dict:
        from iei_kg.query.ask import answer

        return answer(self.store, self.extractor, question)

    def statements(self) -> Iterator[dict]:
        """Every statement as a mentions record (the format of `iei-kg export mentions`)."""
        for row in self.store.query(STATEMENTS_SPARQL):
            value = {k: (row[k].value if row[k] is not None else None) for k in
                     ("statement", "type", "docId", "concept", "label", "quote", "start", "end", "page", "section",
                      "confidence", "effect", "actors", "addresses", "involves", "stakeholderSource")}
            concept = _local(value["concept"])
            yield {
                "doc": value["docId"],
                "type": TYPES[_local(value["type"])],
                "concept": concept,
                "label": value["label"] or concept,
                "quote": value["quote"],
                "start": int(value["start"]),
                "end": int(value["end"]),
                "page": int(value["page"]) if value["page"] else None,
                "section": value["section"],
                "actors": [_local(a) for a in (value["actors"] or "").split()],
                "addresses": [_local(a) for a in (value["addresses"] or "").split()],
                "involves": [_local(a) for a in (value["involves"] or "").split()],
                "stakeholder_source": value["stakeholderSource"],
                "effect": _local(value["effect"]) if value["effect"] else None,
                "confidence": float(value["confidence"]),
            }

    def export_mentions(self, path: str | Path | None = None) -> int:
        """Write the statements as JSON Lines (to `path`, or return them counted when writing to stdout)."""
        import sys

        out = open(OutputError.check(path), "w", encoding="utf-8") if path else sys.stdout
        count = 0
        try:
            for record in self.statements():
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
                count += 1
        finally:
            if path:
                out.close()
        return count

    def to_networkx(self):
        from iei_kg.graph.network import to_networkx

        return to_networkx(self.statements())

    def write_graphml(self, path: str | Path) -> None:
        import networkx as nx

        nx.write_graphml(self.to_networkx(), OutputError.check(path))


def open_graph(kg_dir: str | Path = "kg", config: ExtractorConfig | None = None) -> KnowledgeGraph:
    return KnowledgeGraph(kg_dir, config)


def ask(question: str, kg_dir: str | Path = "kg") -> dict:
    return open_graph(kg_dir).ask(question)


def _local(iri: str) -> str:
    return iri.rstrip("/").rsplit("#", 1)[-1].rsplit("/", 1)[-1]
