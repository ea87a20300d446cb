"""/api/v1/hubs, /api/v1/data-sharing-agreements, /api/v1/hub-placements."""

from ninja import Router

router = Router(tags=["hubs"])
