"""Tests that read the one small demo world (see ``conftest.py``)."""
