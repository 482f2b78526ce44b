"""The persistent index of a folder: SQLite schema, encoding, updates and queries."""
