"""The statutory app's endpoints (routers mounted in ``continuum/api.py``)."""

from continuum.statutory.api.exports import router as exports_router

__all__ = ["exports_router"]
