"""One label importer per tool; the public entry point is annotations.export.imports.parse_labels."""
