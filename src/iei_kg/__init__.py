"""iei-kg: a knowledge graph of problems, countermeasures and stakeholders in industry-education integration texts."""

__version__ = "0.1.0"

from iei_kg.api import KnowledgeGraph, ask, build, open_graph  # noqa: E402

__all__ = ["KnowledgeGraph", "__version__", "ask", "build", "open_graph"]
