"""The case audits API, one router per part, each added to the one ``NinjaAPI`` in
``continuum/api.py``."""
