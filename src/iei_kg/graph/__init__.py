"""Statements to RDF (one named graph per document), the on-disk store, and the networkx view."""
