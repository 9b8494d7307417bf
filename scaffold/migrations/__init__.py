"""Alembic revisions written for a change."""
