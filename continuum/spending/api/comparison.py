"""/api/v1/spending/comparison, /deflators (the comparison part)."""

from ninja import Router

router = Router(tags=["spending"])
