"""Named queries: `queries/*.rq`, each with a header comment saying what it answers and its parameters.

Parameters are bound as RDF terms (SPARQL substitutions), never pasted into the query text; the exception is the
paging parameters (kinds `limit` and `offset`): SPARQL has no variable there, so a validated non-negative integer
replaces the number of the query's one LIMIT / OFFSET clause, whose number is the default.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox

from iei_kg.errors import QueryError
from iei_kg.graph.rdf import SCHEME_GRAPH, concept_iri
from iei_kg.ontology.namespace import SUMMARY_GRAPH
from iei_kg.resources import data_dir

SUMMARY_IRI = f"<{SUMMARY_GRAPH}>"  # as the named queries write it
_PARAM = re.compile(r"^#\s*param:\s*(?P<name>\w+)\s*\((?P<kind>\w+)\)\s*-?\s*(?P<help>.*)$")
_PAGING = {"limit": re.compile(r"\bLIMIT\s+\d+", re.IGNORECASE), "offset": re.compile(r"\bOFFSET\s+\d+", re.IGNORECASE)}


@dataclass
class NamedQuery:
    name: str
    description: str
    sparql: str
    params: dict[str, tuple[str, str]] = field(default_factory=dict)  # name -> (kind, help)


def parse_query(path: Path) -> NamedQuery:
    text = path.read_text(encoding="utf-8")
    description, params = [], {}
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        m = _PARAM.match(line)
        if m:
            params[m["name"]] = (m["kind"], m["help"].strip())
        else:
            description.append(line.lstrip("# ").strip())
    return NamedQuery(path.stem, " ".join(description).strip(), text, params)


def named_queries(folder: str | Path | None = None) -> dict[str, NamedQuery]:
    root = Path(folder) if folder else data_dir("queries")
    return {p.stem: parse_query(p) for p in sorted(root.glob("*.rq"))}


def resolve_query(name_or_file: str) -> NamedQuery:
    """A named query by name, or any .rq/.sparql file (its header may declare parameters too)."""
    path = Path(name_or_file)
    if path.suffix in {".rq", ".sparql"} and path.is_file():
        return parse_query(path)
    queries = named_queries()
    if name_or_file not in queries:
        raise QueryError(f"unknown query '{name_or_file}' (named queries: {', '.join(queries)}; or give a .rq file)")
    return queries[name_or_file]


def bind_params(query: NamedQuery, values: dict[str, str]) -> dict[ox.Variable, object]:
    """Turn `key=value` strings into RDF terms for the query's declared parameters."""
    unknown = set(values) - set(query.params)
    if unknown:
        raise QueryError(f"query '{query.name}' has no parameter {', '.join(sorted(unknown))} "
                         f"(its parameters: {', '.join(query.params) or 'none'})")
    missing = {n for n, (kind, _) in query.params.items() if kind not in _PAGING} - set(values)
    if missing:
        raise QueryError(f"query '{query.name}' needs --param {' --param '.join(f'{m}=...' for m in sorted(missing))}")
    bound = {}
    for name, value in values.items():
        kind = query.params[name][0]
        if kind in _PAGING:
            _paging_clause(query, name, kind)
            if not re.fullmatch(r"\d+", value):
                raise QueryError(f"parameter '{name}' must be a non-negative integer, not '{value}'")
            continue
        if kind == "concept":
            # percent-encoded: an id is one IRI path segment, whatever characters it holds
            term = _named_node(name, value if value.startswith(("http://", "https://"))
                               else str(concept_iri(quote(value, safe=""))))
        elif kind == "iri":
            term = _named_node(name, value)
        elif kind == "integer":
            if not re.fullmatch(r"-?\d+", value):
                raise QueryError(f"parameter '{name}' must be an integer, not '{value}'")
            term = ox.Literal(value, datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
        else:
            term = ox.Literal(value)
        bound[ox.Variable(name)] = term
    return bound


def _paging_clause(query: NamedQuery, name: str, kind: str) -> None:
    clauses = list(_PAGING[kind].finditer(query.sparql))
    if len(clauses) != 1:
        raise QueryError(f"query '{query.name}': parameter '{name}' ({kind}) needs exactly one {kind.upper()} clause "
                         f"in the query, not {len(clauses)}")


def query_text(query: NamedQuery, values: dict[str, str]) -> str:
    """The query's SPARQL with the given paging parameters in its LIMIT / OFFSET clauses (call bind_params first:
    it validates them)."""
    text = query.sparql
    for name, value in values.items():
        kind = query.params[name][0]
        if kind in _PAGING:
            text = _PAGING[kind].sub(f"{kind.upper()} {int(value)}", text, count=1)
    return text


def _named_node(name: str, iri: str) -> ox.NamedNode:
    try:
        return ox.NamedNode(iri)
    except ValueError as exc:
        raise QueryError(f"parameter '{name}' is not a valid IRI: '{iri}' ({exc})") from None


_XSD = "http://www.w3.org/2001/XMLSchema#"
# Numeric datatypes and their Python types. A lookup by the datatype's IRI, because rows are converted a term at a
# time: a page of 100 rows is a thousand terms.
_NUMBERS = {_XSD + name: int for name in ("integer", "nonNegativeInteger", "int", "long")} | {
    _XSD + name: float for name in ("decimal", "double", "float")}


def term_value(term) -> object:
    """A Python value for an Oxigraph term: an IRI or a literal becomes its text, a number a number."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        number = _NUMBERS.get(term.datatype.value)
        return number(term.value) if number else term.value
    if isinstance(term, ox.NamedNode):
        return term.value
    return str(term)


def run_query(store, query: NamedQuery, params: dict[str, str] | None = None) -> tuple[list[str], list[dict]]:
    """(column names, rows as dicts) of a SELECT query."""
    params = params or {}
    bound = bind_params(query, params)
    text = query_text(query, params)
    if SUMMARY_IRI in text and hasattr(store, "has_summary") and not store.has_summary():
        raise QueryError(summary_missing_message(query.name))
    result = store.query(text, bound)
    if not isinstance(result, ox.QuerySolutions):
        raise QueryError(f"query '{query.name}' is not a SELECT query")
    columns = [v.value for v in result.variables]
    rows = [dict(zip(columns, map(term_value, solution))) for solution in result]  # by position: faster
    if not rows:
        _check_concepts(store, query, params, bound)
    return columns, rows


# Is a concept anywhere in the graph (as subject or object, in any named graph)? The scheme's concepts, by IRI.
CONCEPT_IN_GRAPH = "ASK { GRAPH ?g { { ?concept ?p ?o } UNION { ?s ?p ?concept } } }"
SCHEME_CONCEPTS = (f"SELECT ?concept WHERE {{ GRAPH <{SCHEME_GRAPH}> "
                   "{ ?concept a <http://www.w3.org/2004/02/skos/core#Concept> } }")


def summary_missing_message(name: str) -> str:
    return (f"query '{name}' reads the corpus summary graph, which this graph folder lacks or has from an older "
            "version: run `iei-kg build` once to rewrite it")


def concept_params(query: NamedQuery, params: dict[str, str]) -> list[str]:
    """The names of the query's concept parameters that `params` gives."""
    return [name for name, (kind, _) in query.params.items() if kind == "concept" and name in params]


def unknown_concept_message(name: str, value: str, scheme_iris: list[str]) -> str:
    ids = sorted({iri.rsplit("/", 1)[-1] for iri in scheme_iris})
    near = difflib.get_close_matches(value, ids, n=3, cutoff=0.5)
    hint = f"did you mean {', '.join(near)}? " if near else ""
    return f"parameter '{name}': no concept '{value}' in this graph ({hint}`iei-kg concepts` lists the scheme's concepts)"


def _check_concepts(store, query: NamedQuery, params: dict[str, str], bound: dict) -> None:
    """No rows because a concept parameter names nothing in this graph (a typo, an id of another scheme): say so,
    with the nearest ids, instead of an empty answer that reads as "the literature says nothing". A concept of the
    scheme that no document discusses is in the graph (the scheme is), and gives its empty answer."""
    for name in concept_params(query, params):
        if not store.query(CONCEPT_IN_GRAPH, {ox.Variable("concept"): bound[ox.Variable(name)]}):
            iris = [row["concept"].value for row in store.query(SCHEME_CONCEPTS)]
            raise QueryError(unknown_concept_message(name, params[name], iris))
