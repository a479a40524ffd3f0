"""Typo tolerance: misspelt words read as the store's and the languages' words, known words left alone."""

from __future__ import annotations

from collections import Counter

import pytest

from hangat.search.spelling import Speller, slip

STORE = Speller.for_texts(
    [
        "Beras Pandan Wangi 5 kg",
        "Beras Merah Organik 1 kg",
        "Kaos Kaki Sekolah Hitam",
        "Kopi Kapal Api Bubuk 165g",
        "Keyboard Logitech K120 USB",
        "Jam Tangan Pria Digital",
        "Pianika Yamaha P32D",
        "Granola Almond Crunch 400g",
        "Tas Ransel Laptop 15 inch",
    ]
)


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("mau bli biji kpoi arabika", "mau beli biji kopi arabika"),  # a letter left out; a swap
        ("rekomendasi keybaord buat ngetik", "rekomendasi keyboard buat ngetik"),
        ("cari jam tngan buat anakku", "cari jam tangan buat anakku"),
        ("mau beli pinaika buat anak sekolah", "mau beli pianika buat anak sekolah"),  # the store's word
        ("cari granloa buat sarapan", "cari granola buat sarapan"),
        ("butuh tas rasnel buat bawa laptop", "butuh tas ransel buat bawa laptop"),
        ("cari spatu sneakers di bawah 500 rbu", "cari sepatu sneakers di bawah 500 ribu"),
        ("I need a wirelss keyboard", "I need a wireless keyboard"),
    ],
)
def test_misspelt_words_are_read_as_what_they_most_likely_are(typed: str, read: str) -> None:
    spelling = STORE.correct(typed)
    assert spelling.text == read
    assert spelling.changed


@pytest.mark.parametrize(
    "text",
    [
        "ada kabel data buat ngecas hp nggak?",  # an Indonesian word on a known root ("cas")
        "mau beliin kado ultah buat nyokap",  # slang the corpora know
        "pesananku INV-20261120-001 sampai mana?",  # codes with digits
        "email aku budi.santoso@contoh.co.id ya",
        "cari soundcard buat vlogging",  # rare real words are not "corrected" to other words
        "tangan saya tersetrum waktu pegang kettle",  # never "tersenyum": one edit only
        "mau menyeduh kopi pagi",  # "menyeduh" is built on "seduh"
        "THR udah cair, mau beli UNO",  # capitals are names and acronyms
        "this floral midi dress, do you have it?",  # English words in English stay
        "minyak goreng Sania 2L",  # a name mid-sentence is not the store's "Sanitizer"
        "Logitech K120",
        "ok",
    ],
)
def test_known_words_codes_and_addresses_are_left_alone(text: str) -> None:
    spelling = STORE.correct(text)
    assert spelling.text == text and not spelling.changed, spelling.fixes


def test_a_real_word_the_store_lacks_is_read_as_the_store_word_one_slip_away() -> None:
    spelling = STORE.correct("butuh bears buat stok di rumah")  # "bears" is English, rare in Indonesian
    assert spelling.text == "butuh beras buat stok di rumah"
    assert STORE.correct("bears in the woods").text == "bears in the woods"  # an English message
    assert STORE.correct("mau kopi yang rapi").text == "mau kopi yang rapi"  # common Indonesian stays


def test_near_store_words_add_what_the_catalog_calls_it() -> None:
    assert STORE.near_store_words("lagi cari kaos kai hitam") == ["kaki"]
    assert STORE.near_store_words("kaos kaki hitam") == []


def test_the_store_vocabulary_wins_a_tie_and_the_fix_is_recorded() -> None:
    plain = Speller(Counter())
    assert plain.correct("mau beli pinaika").text != "mau beli pianika"  # not a common word
    spelling = STORE.correct("mau beli pinaika")
    assert spelling.fixes == (("pinaika", "pianika"),)


@pytest.mark.parametrize(
    ("typed", "meant", "kind"),
    [
        ("spatu", "sepatu", "omitted"),
        ("jaul", "jual", "swapped"),
        ("jaul", "jauh", "wrong"),
        ("kejuu", "keju", "extra"),
        ("dpn", "depan", "two"),
        ("tersetrum", "tersenyum", "two"),
    ],
)
def test_the_kind_of_slip(typed: str, meant: str, kind: str) -> None:
    assert slip(typed, meant) == kind


def test_odd_input_never_fails() -> None:
    for odd in ("", "   ", "🙂🙂", "a" * 5000, "<script>alert(1)</script>", "\x00\x01"):
        assert isinstance(STORE.correct(odd).text, str)
