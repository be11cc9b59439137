"""MkDocs plugin that puts the report archive into the site (see plugin.py)."""
