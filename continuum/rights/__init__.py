"""Requests under data protection law (subject access, rectification, erasure, restriction,
objection) and subject access bundles (issue 13)."""
