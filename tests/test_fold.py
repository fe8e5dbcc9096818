"""Folding makes the ways sources write one name equal, and keeps different names apart."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from linernotes.normalize.fold import clean_display, fold, fold_artist


def test_variants_of_one_name_fold_together() -> None:
    assert fold("Șerban Ghenea") == fold("Serban Ghenea") == fold("SERBAN  ghenea")
    assert fold("Mike WiLL Made-It") == fold("mike will made it")
    assert fold("\u200bbenny blanco") == "benny blanco"
    assert fold("J\u00a0Dilla") == "j dilla"
    assert fold("Earth, Wind & Fire") == fold("Earth Wind and Fire")
    assert fold("Can’t Have Everything") == fold("Cant Have Everything")
    assert fold("A$AP Rocky") == fold("ASAP Rocky")
    assert fold_artist("The Weeknd") == fold_artist("Weeknd")


def test_different_names_stay_different() -> None:
    assert fold("40") != fold("4")
    assert fold("Future") != fold("Futures")
    assert fold_artist("The The") == "the"  # a band called The The keeps a name


def test_display_keeps_the_name_but_drops_invisible_characters() -> None:
    assert clean_display("\u200bbenny  blanco ") == "benny blanco"
    assert clean_display("Șerban Ghenea") == "Șerban Ghenea"


@given(st.text())
def test_fold_is_idempotent_and_plain(text: str) -> None:
    once = fold(text)
    assert fold(once) == once
    assert once == once.strip() and "  " not in once
