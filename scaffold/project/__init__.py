"""Reading a project: its layout, answers, manifest and snapshot."""
