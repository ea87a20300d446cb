"""Phonetic keys and similarity for people's names. Plain Python (jellyfish), no Django.

A name is split into normalised tokens ("Mary-Jane O'Brien" -> mary, jane, obrien); each
token gets three phonetic keys (Metaphone, NYSIIS, Soundex), tagged so keys from different
algorithms never collide. Two spellings that sound alike ("Smith" and "Smyth", "Jon" and
"John") share at least one key, which is how search finds candidates; Jaro-Winkler
similarity then ranks them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from itertools import permutations

import jellyfish

KEY_MAX_LENGTH = 20
# A name token at least this similar to a query token counts as a match.
SIMILAR_ENOUGH = 0.84
# Words of a name query beyond this many are ignored.
MAX_QUERY_TOKENS = 5

_SEPARATORS = re.compile(r"[\s\-‐‑–—/.,]+")
_NOT_LETTERS = re.compile(r"[^a-z]")


def name_tokens(*names: str) -> list[str]:
    """Lower-case, accent-free letter tokens of ``names``, in order, without repeats."""
    tokens: list[str] = []
    for name in names:
        plain = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode()
        for part in _SEPARATORS.split(plain.lower()):
            token = _NOT_LETTERS.sub("", part)
            if token and token not in tokens:
                tokens.append(token)
    return tokens


def token_keys(token: str) -> set[str]:
    """The phonetic keys of one normalised token."""
    if not token:
        return set()
    keys = {
        "M:" + jellyfish.metaphone(token),
        "N:" + jellyfish.nysiis(token),
        "S:" + jellyfish.soundex(token),
    }
    return {key[:KEY_MAX_LENGTH] for key in keys if len(key) > 2}


def name_keys(tokens: Iterable[str]) -> set[str]:
    """All phonetic keys of ``tokens``."""
    keys: set[str] = set()
    for token in tokens:
        keys |= token_keys(token)
    return keys


def token_similarity(query_token: str, name_token: str) -> float:
    """How alike two tokens are, 0..1. Sounding alike or a typed prefix counts as close."""
    if query_token == name_token:
        return 1.0
    similarity = jellyfish.jaro_winkler_similarity(query_token, name_token)
    if len(query_token) >= 2 and name_token.startswith(query_token):
        similarity = max(similarity, 0.9)
    if token_keys(query_token) & token_keys(name_token):
        similarity = max(similarity, SIMILAR_ENOUGH + 0.01)
    return similarity


def match_score(query_tokens: list[str], name_tokens_: list[str]) -> float | None:
    """How well a person's name tokens answer the query, in any order; None for no match.

    Each query token must be close to a different one of the person's name tokens; the
    score is the mean similarity of the best such pairing, so "smyth jon" scores high
    against "Jon Smith" and "jon jones" does not match "Jon Smith" at all.
    """
    query_tokens = query_tokens[:MAX_QUERY_TOKENS]
    if not query_tokens or len(query_tokens) > len(name_tokens_):
        return None
    similarity = [[token_similarity(q, n) for n in name_tokens_] for q in query_tokens]
    # Only name tokens close to some query token can be in a pairing.
    useful = [
        n for n in range(len(name_tokens_)) if any(row[n] >= SIMILAR_ENOUGH for row in similarity)
    ]
    if len(useful) < len(query_tokens):
        return None
    best: float | None = None
    for pairing in permutations(useful, len(query_tokens)):
        scores = [similarity[q][n] for q, n in enumerate(pairing)]
        if min(scores) >= SIMILAR_ENOUGH:
            mean = sum(scores) / len(scores)
            best = mean if best is None else max(best, mean)
    return best


def padded(tokens: Iterable[str]) -> str:
    """``tokens`` as stored for search: space-separated with a space at each end, so a
    whole word is ``LIKE '% jon %'`` and a word's start ``LIKE '% jon%'``."""
    text = " ".join(tokens)
    return f" {text} " if text else ""


def search_columns(
    given_name: str, middle_names: str, family_name: str, aliases: Iterable[tuple[str, str]] = ()
) -> dict[str, object]:
    """The stored match keys of a person (``Person.search_*``): their own name tokens, the
    tokens of their names and aliases, and the phonetic keys of all of those."""
    own = name_tokens(given_name, middle_names, family_name)
    every = name_tokens(given_name, middle_names, family_name, *(n for a in aliases for n in a))
    return {
        "search_names": padded(own),
        "search_all_names": padded(every),
        "search_keys": sorted(name_keys(every)),
    }
