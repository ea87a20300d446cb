"""Where the demo families live: the Tees councils' localities, post towns and postcodes.

Locality names are generic areas invented for the demo; post towns are the Royal Mail post
towns of each postcode district (public facts). Plain Python, no Django.
"""

from __future__ import annotations

import random

# A short, stable key for each council, used in usernames, organisation keys and teams.
COUNCIL_KEYS: dict[str, str] = {
    "Hartlepool": "hartlepool",
    "Middlesbrough": "middlesbrough",
    "Redcar and Cleveland": "redcar",
    "Stockton-on-Tees": "stockton",
}

# council key -> locality name -> the postcode districts the locality covers.
LOCALITIES: dict[str, dict[str, tuple[str, ...]]] = {
    "hartlepool": {
        "Hartlepool North": ("TS24", "TS27"),
        "Hartlepool South": ("TS25", "TS26"),
    },
    "middlesbrough": {
        "Middlesbrough Central": ("TS1", "TS2", "TS3"),
        "Middlesbrough West": ("TS4", "TS5"),
        "Middlesbrough South": ("TS7", "TS8"),
    },
    "redcar": {
        "Redcar and Coast": ("TS10", "TS11"),
        "Greater Eston": ("TS6",),
        "East Cleveland": ("TS12", "TS13", "TS14"),
    },
    "stockton": {
        "Stockton North": ("TS19", "TS20", "TS21", "TS22", "TS23"),
        "Stockton Central": ("TS18",),
        "Stockton South": ("TS15", "TS16", "TS17"),
    },
}

POST_TOWNS: dict[str, str] = {
    **{d: "Middlesbrough" for d in ("TS1", "TS2", "TS3", "TS4", "TS5", "TS6", "TS7", "TS8")},
    "TS10": "Redcar",
    "TS11": "Redcar",
    "TS12": "Saltburn-by-the-Sea",
    "TS13": "Saltburn-by-the-Sea",
    "TS14": "Guisborough",
    "TS15": "Yarm",
    **{d: "Stockton-on-Tees" for d in ("TS16", "TS17", "TS18", "TS19", "TS20", "TS21")},
    "TS22": "Billingham",
    "TS23": "Billingham",
    **{d: "Hartlepool" for d in ("TS24", "TS25", "TS26", "TS27")},
}

# Letters Royal Mail uses in the last two places of a postcode (no C, I, K, M, O or V).
_UNIT_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"

STREET_SUFFIXES = (
    "Road", "Street", "Avenue", "Close", "Crescent", "Drive", "Grove", "Lane", "Terrace",
    "Way", "Gardens", "Walk", "Court", "Place", "View", "Road", "Street", "Close",
)  # fmt: skip


# With --scale N the four councils are repeated as copies 2..N: their keys end "-<copy>"
# (e.g. "stockton-2") and their postcode districts use an invented area instead of TS
# (copy 2 "ZA", copy 3 "ZB", ...), so every copy's postcodes are its own.
COPY_AREAS = "ZAZBZCZDZFZGZHZJZKZLZMZNZPZRZSZTZUZWZXZY"


def base_key(key: str) -> str:
    """The Tees council a key stands for: 'stockton-2' -> 'stockton'."""
    return key.split("-", 1)[0]


def copy_area(copy: int) -> str:
    if copy < 2 or copy - 2 >= len(COPY_AREAS) // 2:
        raise ValueError(f"No postcode area for copy {copy} of the councils.")
    return COPY_AREAS[2 * (copy - 2) : 2 * (copy - 1)]


def base_district(district: str) -> str:
    """The TS district a copy's district stands for: 'ZA24' -> 'TS24'."""
    return "TS" + district[2:]


def post_town(district: str) -> str:
    return POST_TOWNS[base_district(district)]


def council_key(council_name: str) -> str:
    try:
        return COUNCIL_KEYS[council_name]
    except KeyError:
        return council_name.split()[0].split("-")[0].lower()


def locality_for_district(key: str, district: str) -> str:
    for name, districts in LOCALITIES[base_key(key)].items():
        if base_district(district) in districts:
            return name
    raise LookupError(f"No {key} locality covers {district}.")


def postcode(rng: random.Random, district: str) -> str:
    """A well-formed postcode in ``district`` (outward code), e.g. 'TS18 3QJ'."""
    sector = rng.randint(1, 9)
    unit = rng.choice(_UNIT_LETTERS) + rng.choice(_UNIT_LETTERS)
    return f"{district} {sector}{unit}"
