"""A family's agreement to early help and to sharing, and its withdrawal (issue 13)."""
