"""Verbs that change spending records, by part: ``returns`` (entering, submitting, signing
off), ``classification`` (versions and councils' mappings)."""
