"""The statutory app's endpoints (routers mounted in ``continuum/api.py``): recording what
follows the front door and its timescales (``recording``), the CIN census export
(``exports``)."""

from continuum.statutory.api.exports import router as exports_router
from continuum.statutory.api.recording import router

__all__ = ["exports_router", "router"]
