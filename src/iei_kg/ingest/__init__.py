"""Reading documents: files to text with offsets and pages, and the layout of that text."""

from iei_kg.ingest.readers import SUPPORTED_SUFFIXES, discover, read_document

__all__ = ["SUPPORTED_SUFFIXES", "discover", "read_document"]
