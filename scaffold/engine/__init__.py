"""Plans of file operations, applying them under a journal, and the VCS guard."""
