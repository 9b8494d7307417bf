"""Application-wide building blocks: settings, database, errors, logging."""
