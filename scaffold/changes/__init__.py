"""The writing commands: each a change to a project, previewed, applied, checked."""
