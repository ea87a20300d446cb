"""The subject access bundle: everything held about a person, one section per kind of
record (``sections.py``, a list of builders), marked where it holds other people's details
(``content.py``), made in the background as a PDF and a JSON file (``builds.py``)."""
