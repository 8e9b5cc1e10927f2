"""The corpus catalogue: the metadata files of a corpus folder, indexed to match documents, and sidecars.

Which files are read and how a document is matched (see `metadata.py` for the three sources of metadata);
the files' formats are parsed in `catalogue_formats.py`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from iei_kg.ingest.catalogue_formats import read_csv, read_records
from iei_kg.ingest.metadata import Metadata

CATALOGUE_CSV = "metadata.csv"
CATALOGUE_SUFFIXES = (".bib", ".ris", ".json")


@dataclass
class Catalogue:
    """Bibliographic records of a corpus folder, indexed for matching documents."""

    by_key: dict[str, Metadata] = field(default_factory=dict)  # citation key / doc column / file stem
    by_doi: dict[str, Metadata] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)  # one line per file that could not be read
    root: Path | None = None
    _folders: dict = field(default_factory=dict, repr=False)

    def for_folder(self, folder: Path) -> "Catalogue":
        """The catalogue of a subfolder of the corpus (its own metadata files), read once per build."""
        folder = Path(folder)
        if self.root is not None and folder.resolve() == self.root.resolve():
            return self
        if folder not in self._folders:
            self._folders[folder] = Catalogue.load(folder)
        return self._folders[folder]

    @classmethod
    def load(cls, corpus_dir: str | Path, document_stems: set[str] | None = None) -> "Catalogue":
        """Read the catalogue files at the top of a corpus folder (a `<stem>.json` beside a document is a sidecar)."""
        root = Path(corpus_dir)
        cat = cls(root=root)
        if not root.is_dir():
            return cat
        stems = document_stems if document_stems is not None else {
            p.stem for p in root.iterdir() if p.suffix.lower() in (".txt", ".md", ".pdf")}
        for path in sorted(root.iterdir()):
            if not path.is_file():
                continue
            suffix = path.suffix.lower()
            try:
                if path.name.lower() == CATALOGUE_CSV:
                    records = read_csv(path)
                elif suffix in CATALOGUE_SUFFIXES and path.stem not in stems:
                    records = read_records(path)
                else:
                    continue
            except (OSError, UnicodeDecodeError, ValueError) as exc:
                cat.problems.append(f"{path}: unreadable metadata file ({exc})")
                continue
            for keys, meta in records:
                cat.add(keys, meta)
        return cat

    def add(self, keys: list[str], meta: Metadata) -> None:
        for key in keys:
            if key:
                self.by_key.setdefault(key, meta)
        if meta.doi:
            self.by_doi.setdefault(meta.doi.lower(), meta)

    def find(self, stem: str, doi: str | None) -> Metadata | None:
        if stem in self.by_key:
            return self.by_key[stem]
        if doi and doi.lower() in self.by_doi:
            return self.by_doi[doi.lower()]
        return None


# --- sidecars and catalogue files -------------------------------------------------------------------------


def sidecar(path: Path) -> Metadata | None:
    """`<stem>.json` or `<stem>.bib` next to a document."""
    found = None
    for suffix in (".bib", ".json"):
        candidate = path.with_suffix(suffix)
        if candidate.is_file():
            try:
                records = read_records(candidate)
            except (OSError, UnicodeDecodeError, ValueError):
                continue
            if records:
                found = (found or Metadata()).update(records[0][1])
    return found
