"""Pure rendering: specs and a project snapshot to the text of generated files."""
