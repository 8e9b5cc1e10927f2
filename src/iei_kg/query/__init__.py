"""Named SPARQL queries with bound parameters, and plain-English questions answered with evidence."""
