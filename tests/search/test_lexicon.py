from __future__ import annotations

from hangat.search.lexicon import Lexicon, bundled


def test_longest_phrase_wins_and_unknown_words_are_kept_in_the_sentence() -> None:
    lex = Lexicon({"jam": ["clock"], "jam tangan": ["watch", "wristwatch"], "pria": ["men"]})
    assert lex.translate("jam tangan pria casio") == ["watch", "wristwatch", "men"]
    assert lex.sentence("jam tangan pria casio") == "watch men casio"
    assert lex.translate("jam dinding") == ["clock"]


def test_the_bundled_lexicon_covers_shopping_words() -> None:
    lex = bundled()
    assert len(lex.entries) > 1000
    assert "shoes" in lex.translate("sepatu")
    assert lex.sentence("celana dalam pria").startswith("underwear")  # the phrase, not "celana"
    assert "souvenirs" in lex.translate("oleh-oleh")
