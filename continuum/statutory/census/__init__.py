"""The children in need (CIN) census: writing a council's return for a census year
(``writing``), reading one (``reading``) and checking either against the DfE's validation
rules for that year (``validation``, the rules of Data to Insight's ``csc-validator-be-cin``).
"""
