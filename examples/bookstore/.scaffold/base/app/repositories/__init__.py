"""Database access, one module per resource; no business rules here."""
