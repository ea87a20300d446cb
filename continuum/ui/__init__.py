"""The toolkit every app's pages and API endpoints share, at the bottom of the project.

GOV.UK form styling and fields (``forms``), the one time parser (``times``), services'
refusals shown on pages (``errors``) and answered by the API (``api``), GOV.UK pagination
(``pagination``) and the shared templates under ``templates/ui/``. It has no models and
imports nothing of Continuum's but ``continuum.errors``, so any app may use it.
"""
