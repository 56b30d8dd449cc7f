"""Database backends of the embedded default (see ``sqlite3``)."""
