"""/api/v1/spending/returns, /classification, /mapping (the returns part)."""

from ninja import Router

router = Router(tags=["spending"])
