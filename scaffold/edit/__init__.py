"""Syntax-tree edits of the project's shared files (wiring, inverse relationships)."""
