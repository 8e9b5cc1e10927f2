"""`iei-kg serve`: a SPARQL 1.1 Protocol endpoint over a graph folder (see `app.py`)."""

from iei_kg.serve.app import App, Response, ServeConfig
from iei_kg.serve.server import SparqlServer, serve

__all__ = ["App", "Response", "ServeConfig", "SparqlServer", "serve"]
