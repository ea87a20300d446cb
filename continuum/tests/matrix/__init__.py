"""The permission matrix's machinery: its rows read from ``permission_matrix.csv``
(``rows``), the situation each row describes built with factories (``situations``), and the
checks of every page and endpoint against the row (``checks``). The tests that use them are
``test_permission_matrix.py`` (a person's record) and ``test_permission_matrix_records.py``
(contacts, notifications and early help episodes)."""
