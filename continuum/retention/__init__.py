"""The retention schedule, legal holds and disposal runs with their certificates (issue 13)."""
