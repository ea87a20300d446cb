"""Backing up and restoring the database (issue 13)."""
