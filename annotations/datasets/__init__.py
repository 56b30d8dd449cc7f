"""Datasets: a project's labels going out (exports and releases) and coming in (label imports).

    formats/          the export formats (JSONL, CoNLL-2003, spaCy DocBin, CSV) in the FORMATS
                      registry, and the ExportRecord values they write; pure, no Django
    importers/        readers of labels made elsewhere (our JSONL, Label Studio, doccano, CoNLL-2003)
                      as ImportedDocument values and errors; pure, no Django
    exports.py        a project's items as export records, filtered and streamed in constant memory,
                      and the format for an export (exporter_for: refuses what it cannot honour)
    releases.py       immutable, versioned exports built by a worker and stored with a checksum
    label_imports.py  imported labels stored as a project's gold, texts verbatim with their tokens
    imported_provenance.py  where imported gold's labels came from (kept from our JSONL, else "imported")

``formats`` and ``importers`` import nothing from Django or the rest of the app; the other
modules may import ``annotations.models``, ``services``, ``validation`` and ``ingest``.
The interfaces (``api``, ``admin``, ``tasks``, ``pages``) import this package.
"""
