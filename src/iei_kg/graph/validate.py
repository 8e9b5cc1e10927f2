"""SHACL validation of a graph folder or an RDF file against `ontology/shapes.ttl` (`iei-kg validate`).

Needs the optional package pyshacl (`pip install 'iei-kg[validate]'`). The union of all named graphs is validated
at once (a statement, its document and its evidence live in the same document graph), without inference.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from iei_kg.errors import ConfigError, MissingDependencyError
from iei_kg.resources import data_dir

SH = "http://www.w3.org/ns/shacl#"


@dataclass
class Violation:
    focus: str
    path: str | None
    message: str
    severity: str
    value: str | None = None


@dataclass
class ValidationReport:
    conforms: bool
    triples: int
    violations: list[Violation] = field(default_factory=list)

    def summary(self, examples: int = 3) -> str:
        """A readable report: the verdict, then each kind of violation with its count and a few focus nodes."""
        if self.conforms:
            return f"conforms: {self.triples} triples checked against the iei-kg shapes, no violation"
        lines = [f"does not conform: {len(self.violations)} violation(s) in {self.triples} triples"]
        groups: dict[tuple[str, str], list[Violation]] = {}
        for v in self.violations:
            groups.setdefault((v.severity, v.message), []).append(v)
        for (severity, message), items in sorted(groups.items(), key=lambda kv: -len(kv[1])):
            lines.append(f"- {severity}: {message} ({len(items)}x)")
            for v in items[:examples]:
                where = f" {v.path}" if v.path else ""
                value = f" = {v.value}" if v.value else ""
                lines.append(f"    {v.focus}{where}{value}")
            if len(items) > examples:
                lines.append(f"    ... and {len(items) - examples} more")
        return "\n".join(lines)

    def counts(self) -> Counter:
        return Counter(v.message for v in self.violations)


def _load_triples(source: str | Path) -> list:
    """Distinct triples of a graph folder (all named graphs) or of an RDF file (format from its suffix)."""
    path = Path(source)
    if path.is_dir():
        from iei_kg.graph.store import Store

        store = Store(path, read_only=True)
        try:
            quads = list(store.oxi.quads_for_pattern(None, None, None, None))
        finally:
            store.close()
    elif path.is_file():
        suffix = path.suffix.lstrip(".").lower()
        rdf_format = ox.RdfFormat.from_extension(suffix) or ({"jsonld": ox.RdfFormat.JSON_LD,
                                                               "json": ox.RdfFormat.JSON_LD}.get(suffix))
        if rdf_format is None:
            raise ConfigError(f"{path}: cannot tell the RDF format from the suffix '.{suffix}' "
                              "(use .ttl, .nt, .nq, .trig, .jsonld or .rdf)")
        try:
            quads = list(ox.parse(path=str(path), format=rdf_format))
        except SyntaxError as exc:
            raise ConfigError(f"{path}: not valid {rdf_format.name}: {exc}") from exc
    else:
        raise ConfigError(f"{path}: no such graph folder or RDF file")
    return list(dict.fromkeys(q.triple if isinstance(q, ox.Quad) else q for q in quads))


def validate(source: str | Path, shapes: str | Path | None = None) -> ValidationReport:
    """Check a graph folder or RDF file against the SHACL shapes (default: the shipped ontology/shapes.ttl)."""
    try:
        import pyshacl
    except ImportError:
        raise MissingDependencyError("pyshacl", "SHACL validation (iei-kg validate)", "validate") from None
    from rdflib import Graph, URIRef

    triples = _load_triples(source)
    data = Graph()
    data.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8") if triples else "",
               format="nt")
    shapes_graph = Graph().parse(Path(shapes) if shapes else data_dir("ontology") / "shapes.ttl", format="turtle")
    conforms, results, _ = pyshacl.validate(data, shacl_graph=shapes_graph, inference="none",
                                            advanced=False, allow_warnings=True)
    violations = []
    sh = lambda name: URIRef(SH + name)  # noqa: E731
    for result in results.subjects(URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), sh("ValidationResult")):
        def one(prop):
            value = results.value(result, sh(prop))
            return None if value is None else str(value)

        path = one("resultPath")
        violations.append(Violation(
            focus=one("focusNode") or "?", path=_short(path) if path else None,
            message=one("resultMessage") or "constraint violated",
            severity=(one("resultSeverity") or SH + "Violation").rsplit("#", 1)[-1],
            value=_abbrev(one("value"))))
    violations.sort(key=lambda v: (v.message, v.focus))
    return ValidationReport(bool(conforms), len(triples), violations)


_PREFIXES = {"https://w3id.org/iei-kg/ontology#": "iei:", "http://www.w3.org/ns/oa#": "oa:",
             "http://www.w3.org/ns/prov#": "prov:", "http://purl.org/dc/terms/": "dcterms:"}


def _short(iri: str) -> str:
    for ns, prefix in _PREFIXES.items():
        if iri.startswith(ns):
            return prefix + iri[len(ns):]
    return iri


def _abbrev(value: str | None) -> str | None:
    if value is None:
        return None
    value = " ".join(value.split())
    return value if len(value) <= 60 else value[:57] + "..."
