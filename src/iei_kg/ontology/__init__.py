"""The iei-kg ontology (a closed rdflib namespace), the concept scheme, and where their files live."""

from iei_kg.ontology.namespace import CONCEPT, DOC, GRAPH, IEI
from iei_kg.ontology.scheme import Concept, ConceptScheme, load_scheme

__all__ = ["CONCEPT", "DOC", "GRAPH", "IEI", "Concept", "ConceptScheme", "load_scheme"]
