"""Names are matched by how they sound and how alike they are, in any order."""

from __future__ import annotations

from continuum.people.name_keys import match_score, name_keys, name_tokens, token_keys


def test_names_split_into_plain_lower_case_tokens() -> None:
    assert name_tokens("Mary-Jane", "O'Brien", "  Zoë  ") == ["mary", "jane", "obrien", "zoe"]


def test_names_that_sound_alike_share_a_key() -> None:
    assert token_keys("smith") & token_keys("smyth")
    assert token_keys("jon") & token_keys("john")
    assert token_keys("mohammed") & token_keys("muhammad")
    assert not token_keys("smith") & token_keys("jones")


def test_keys_of_several_tokens_are_the_union() -> None:
    assert name_keys(["jon", "smith"]) == token_keys("jon") | token_keys("smith")


def test_a_query_matches_in_any_order_and_spelling() -> None:
    jon_smith = name_tokens("Jon", "Smith")
    assert match_score(["smyth", "jon"], jon_smith) is not None
    assert match_score(["john", "smith"], jon_smith) is not None
    assert match_score(["smi"], jon_smith) is not None  # a typed beginning


def test_every_query_word_must_match_something() -> None:
    assert match_score(["jon", "jones"], name_tokens("Jon", "Smith")) is None
    assert match_score(["jon", "smith", "brown"], name_tokens("Jon", "Smith")) is None
    assert match_score([], name_tokens("Jon", "Smith")) is None


def test_exact_names_rank_above_near_ones() -> None:
    exact = match_score(["jon", "smith"], name_tokens("Jon", "Smith"))
    near = match_score(["jon", "smith"], name_tokens("John", "Smyth"))
    assert exact is not None and near is not None
    assert exact > near
